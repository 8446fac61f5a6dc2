#include "common/datapath/udp_socket.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace tvpn {
namespace {

constexpr int kSocketBuffer = 4 << 20;
// The kernel's UDP_MAX_SEGMENTS was 64 before Linux 6.9.
constexpr size_t kMaxGsoSegments = 64;
// A GSO send is one IP packet before segmentation: its payload is bounded.
constexpr size_t kMaxGsoBytes = 65000;
// Below this a refused GSO size means GSO itself is refused, not the path.
constexpr size_t kMinGsoSegment = 576;

void grow_buffers(int fd) {
    // The FORCE variants pass rmem_max for root; fall back to the capped ones.
    for (auto [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF}, std::pair{SO_SNDBUFFORCE, SO_SNDBUF}}) {
        if (::setsockopt(fd, SOL_SOCKET, force, &kSocketBuffer, sizeof kSocketBuffer) < 0)
            ::setsockopt(fd, SOL_SOCKET, plain, &kSocketBuffer, sizeof kSocketBuffer);
    }
}

// Probes UDP_SEGMENT with a harmless setting (0: off) on this socket.
bool probe_gso(int fd) {
    int off = 0;
    return ::setsockopt(fd, SOL_UDP, UDP_SEGMENT, &off, sizeof off) == 0;
}

bool enable_gro(int fd) {
    int on = 1;
    return ::setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof on) == 0;
}

bool same_destination(const Packet& a, const Packet& b) {
    return a.addrlen == b.addrlen && std::memcmp(&a.addr, &b.addr, a.addrlen) == 0;
}

// Length of the run of packets[0..] that one GSO send can carry: same
// destination, same size, except that the last may be shorter.
size_t gso_run(std::span<Packet* const> packets, uint32_t max_segment) {
    const Packet& first = *packets[0];
    if (first.len > max_segment) return 1;
    size_t n = 1, bytes = first.len;
    while (n < packets.size() && n < kMaxGsoSegments) {
        const Packet& p = *packets[n];
        if (!same_destination(first, p) || p.len > first.len || bytes + p.len > kMaxGsoBytes) break;
        bytes += p.len;
        ++n;
        if (p.len < first.len) break;  // a shorter datagram ends a run
    }
    return n;
}

constexpr size_t kCmsgSpace = CMSG_SPACE(sizeof(uint16_t)) > CMSG_SPACE(sizeof(int)) ? CMSG_SPACE(sizeof(uint16_t))
                                                                                      : CMSG_SPACE(sizeof(int));
struct alignas(cmsghdr) CmsgBuf {
    uint8_t bytes[kCmsgSpace];
};

}  // namespace

Result<UdpSocket> UdpSocket::bind(const Endpoint& local) {
    UniqueFd fd(::socket(local.family(), SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd.valid()) return Error{errno_message("socket", errno)};
    if (local.family() == AF_INET6) {
        int on = 1;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
    if (::bind(fd.get(), local.sa(), local.len()) < 0)
        return Error{errno_message("cannot bind UDP " + local.to_string(), errno)};
    grow_buffers(fd.get());
    UdpSocket s(std::move(fd), local);
    s.gso_ = probe_gso(s.fd());
    s.gro_ = enable_gro(s.fd());
    return s;
}

Status UdpSocket::set_dont_fragment(bool df) {
    const bool v6 = local_.family() == AF_INET6;
    const int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
    const int name = v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER;
    const int value = v6 ? (df ? IPV6_PMTUDISC_PROBE : IPV6_PMTUDISC_DONT) : (df ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT);
    if (::setsockopt(fd(), level, name, &value, sizeof value) < 0)
        return Error{errno_message("cannot set path MTU discovery on UDP " + local_.to_string(), errno)};
    df_ = df;
    return {};
}

void UdpSocket::disable_offloads() {
    int off = 0;
    if (gro_) ::setsockopt(fd(), SOL_UDP, UDP_GRO, &off, sizeof off);
    gso_ = gro_ = false;
}

size_t UdpSocket::recv_batch(PacketBatch& batch, size_t max, size_t* truncated, int* err) {
    std::array<mmsghdr, kBatchSize> msgs{};
    std::array<iovec, kBatchSize> iovs{};
    std::array<CmsgBuf, kBatchSize> cmsgs;
    if (max > kBatchSize) max = kBatchSize;
    if (max > batch.capacity()) max = batch.capacity();
    for (size_t i = 0; i < max; ++i) {
        Packet& p = batch[i];
        iovs[i] = {p.buf, kPacketCapacity};
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &p.addr;
        msgs[i].msg_hdr.msg_namelen = sizeof p.addr;
        if (gro_) {
            msgs[i].msg_hdr.msg_control = cmsgs[i].bytes;
            msgs[i].msg_hdr.msg_controllen = sizeof cmsgs[i].bytes;
        }
    }
    int n = ::recvmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(max), MSG_DONTWAIT, nullptr);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) *err = errno;
        return 0;
    }
    for (int i = 0; i < n; ++i) {
        Packet& p = batch[static_cast<size_t>(i)];
        msghdr& h = msgs[i].msg_hdr;
        p.off = 0;
        p.addrlen = h.msg_namelen;
        p.len = msgs[i].msg_len;
        p.segment_size = 0;
        if (h.msg_flags & MSG_TRUNC) {
            p.len = 0;
            ++*truncated;
            continue;
        }
        for (cmsghdr* c = gro_ ? CMSG_FIRSTHDR(&h) : nullptr; c; c = CMSG_NXTHDR(&h, c)) {
            if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
                int size;
                std::memcpy(&size, CMSG_DATA(c), sizeof size);
                if (size > 0 && static_cast<uint32_t>(size) < p.len) p.segment_size = static_cast<uint32_t>(size);
            }
        }
    }
    return static_cast<size_t>(n);
}

// One sendmmsg over as many packets as fit; returns how many packets it consumed.
size_t UdpSocket::send_messages(std::span<Packet* const> packets, SendOutcome& out) {
    std::array<mmsghdr, kBatchSize> msgs{};
    std::array<iovec, kTxBatchSize> iovs{};
    std::array<CmsgBuf, kBatchSize> cmsgs;
    std::array<size_t, kBatchSize> counts{};
    size_t used = 0, nmsg = 0;
    const size_t limit = std::min(packets.size(), kTxBatchSize);
    while (used < limit && nmsg < kBatchSize) {
        size_t run = gso_ ? gso_run(packets.subspan(used, limit - used), gso_max_segment_) : 1;
        Packet& first = *packets[used];
        for (size_t k = 0; k < run; ++k) iovs[used + k] = {packets[used + k]->data(), packets[used + k]->len};
        msghdr& h = msgs[nmsg].msg_hdr;
        h.msg_iov = &iovs[used];
        h.msg_iovlen = run;
        h.msg_name = &first.addr;
        h.msg_namelen = first.addrlen;
        if (run > 1) {
            h.msg_control = cmsgs[nmsg].bytes;
            h.msg_controllen = CMSG_SPACE(sizeof(uint16_t));
            cmsghdr* c = CMSG_FIRSTHDR(&h);
            c->cmsg_level = SOL_UDP;
            c->cmsg_type = UDP_SEGMENT;
            c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
            uint16_t size = static_cast<uint16_t>(first.len);
            std::memcpy(CMSG_DATA(c), &size, sizeof size);
        }
        counts[nmsg++] = run;
        used += run;
    }
    int n;
    do n = ::sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(nmsg), 0);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        // The first message failed. A GSO send the socket cannot take (EIO:
        // no checksum offload): fall back to plain sends.
        if (counts[0] > 1 && errno == EIO) {
            gso_ = false;
            return 0;
        }
        // Segments larger than the path MTU cannot be sent with GSO, which
        // never fragments (EINVAL, or EMSGSIZE with DF): send datagrams of
        // that size one by one from now on, and smaller ones still with GSO.
        if (counts[0] > 1 && (errno == EINVAL || errno == EMSGSIZE)) {
            if (packets[0]->len > kMinGsoSegment) gso_max_segment_ = packets[0]->len - 1;
            else gso_ = false;
            return 0;
        }
        out.last_err = errno;
        out.failed += counts[0];
        return counts[0];
    }
    size_t consumed = 0;
    for (int i = 0; i < n; ++i) consumed += counts[static_cast<size_t>(i)];
    out.sent += consumed;
    return consumed;
}

SendOutcome UdpSocket::send_batch(std::span<Packet* const> packets) {
    SendOutcome out;
    size_t done = 0;
    // Each round consumes at least one packet, except a GSO fallback, which
    // shrinks what GSO is tried for; the bound only guards against a loop.
    for (size_t rounds = 0; done < packets.size() && rounds <= 2 * packets.size() + 2; ++rounds)
        done += send_messages(packets.subspan(done), out);
    return out;
}

int UdpSocket::send_one(std::span<const uint8_t> datagram, const Endpoint& to) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (::sendto(fd_.get(), datagram.data(), datagram.size(), 0, to.sa(), to.len()) >= 0) return 0;
        if (errno != EINTR) return errno;
    }
    return EINTR;
}

}  // namespace tvpn
