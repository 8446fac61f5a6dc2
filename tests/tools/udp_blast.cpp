// Test tool: sends numbered UDP datagrams with a checkable pattern, optionally
// several per system call with UDP GSO (UDP_SEGMENT), so that the tunnel sees
// UDP super-frames; or receives them and reports how many arrived intact.
//   udp_blast send ADDR PORT SENDS SIZE [SEGMENTS]   (SEGMENTS > 1: GSO)
//   udp_blast recv PORT EXPECTED SECONDS
// recv prints "received N intact M corrupt" and exits 0 if nothing was corrupt.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/endpoint.h"
#include "common/device/netif_spec.h"
#include "common/unique_fd.h"

namespace {

uint8_t pattern(uint32_t seq, size_t i) { return static_cast<uint8_t>(seq * 31 + i * 7); }

void fill(uint8_t* p, size_t size, uint32_t seq) {
    std::memcpy(p, &seq, 4);
    for (size_t i = 4; i < size; ++i) p[i] = pattern(seq, i);
}

bool intact(const uint8_t* p, size_t size) {
    if (size < 4) return false;
    uint32_t seq;
    std::memcpy(&seq, p, 4);
    for (size_t i = 4; i < size; ++i)
        if (p[i] != pattern(seq, i)) return false;
    return true;
}

int usage() {
    std::fprintf(stderr, "usage: udp_blast send ADDR PORT SENDS SIZE [SEGMENTS] | recv PORT EXPECTED SECONDS\n");
    return 2;
}

int do_send(char** argv, int argc) {
    auto to = tvpn::Endpoint::resolve(argv[2], argv[3]);
    auto sends = tvpn::parse_long(argv[4], 1, 1000000);
    auto size = tvpn::parse_long(argv[5], 4, 65000);
    auto segs = argc > 6 ? tvpn::parse_long(argv[6], 1, 64) : std::optional<long>(1);
    if (!to || !sends || !size || !segs || *size * *segs > 65000) return usage();
    tvpn::UniqueFd fd(::socket(to->family(), SOCK_DGRAM, 0));
    if (!fd.valid()) return perror("socket"), 1;
    if (*segs > 1) {
        int gso = static_cast<int>(*size);
        if (::setsockopt(fd.get(), SOL_UDP, UDP_SEGMENT, &gso, sizeof gso) < 0) return perror("UDP_SEGMENT"), 1;
    }
    std::vector<uint8_t> buf(static_cast<size_t>(*size * *segs));
    uint32_t seq = 0;
    for (long s = 0; s < *sends; ++s) {
        for (long k = 0; k < *segs; ++k) fill(buf.data() + k * *size, static_cast<size_t>(*size), seq++);
        if (::sendto(fd.get(), buf.data(), buf.size(), 0, to->sa(), to->len()) < 0) return perror("sendto"), 1;
        timespec pause{0, 200000};  // pacing: the test checks integrity, not speed
        ::nanosleep(&pause, nullptr);
    }
    std::printf("sent %u datagrams\n", seq);
    return 0;
}

int do_recv(char** argv) {
    auto port = tvpn::parse_port(argv[2]);
    auto expected = tvpn::parse_long(argv[3], 1, 100000000);
    auto seconds = tvpn::parse_long(argv[4], 1, 600);
    if (!port || !expected || !seconds) return usage();
    tvpn::UniqueFd fd(::socket(AF_INET6, SOCK_DGRAM, 0));
    int off = 0, big = 8 << 20;
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    any.sin6_port = htons(*port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&any), sizeof any) < 0) return perror("bind"), 1;
    std::printf("ready\n");
    std::fflush(stdout);
    std::vector<uint8_t> buf(65536);
    long good = 0, bad = 0;
    timespec start{};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    while (good + bad < *expected) {
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        long left_ms = *seconds * 1000 - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
        if (left_ms <= 0) break;
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left_ms)) <= 0) break;
        ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
        if (n < 0) continue;
        (intact(buf.data(), static_cast<size_t>(n)) ? good : bad)++;
    }
    std::printf("received %ld intact %ld corrupt\n", good, bad);
    return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 6 && std::string(argv[1]) == "send") return do_send(argv, argc);
    if (argc == 5 && std::string(argv[1]) == "recv") return do_recv(argv);
    return usage();
}
