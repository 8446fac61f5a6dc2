// Frame I/O checks on an interface the script prepared: up, IPv4
// 192.168.77.1/24, NOARP, IPv6 off (so the stack sends nothing unasked).
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <future>
#include <thread>

#include "tests/vm/probe/probe.h"

namespace probe {

void expect_rc(Report& r, ssize_t rc, int want, const std::string& what) { r.expect_errno(rc < 0 ? -1 : 0, errno, want, what); }

short poll_events(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN | POLLOUT, 0};
    return ::poll(&p, 1, timeout_ms) > 0 ? p.revents : 0;
}

bool wait_readable(int fd) { return poll_events(fd, 2000) & POLLIN; }

sockaddr_in ipv4_addr(const char* ip, uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

// Sends UDP datagrams to the (absent) peer: each leaves through the interface.
void send_udp(const std::string& payload, int count) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in to = ipv4_addr(kPeerIp, 9);
    for (int i = 0; i < count; ++i)
        ::sendto(s.get(), payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
}

// The UDP payload of an Ethernet/IPv4/UDP frame to port 9, or "" if it is not one.
std::string udp_payload(const uint8_t* f, size_t n) {
    if (n < 42 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 17) return "";
    size_t ihl = (f[14] & 0x0f) * 4u;
    if (14 + ihl + 8 > n || f[14 + ihl + 2] != 0 || f[14 + ihl + 3] != 9) return "";
    return std::string(reinterpret_cast<const char*>(f + 14 + ihl + 8), n - 14 - ihl - 8);
}

uint16_t ip_checksum(const uint8_t* p, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

// An Ethernet/IPv4/UDP frame from the peer to us, as the daemon would write it.
std::vector<uint8_t> frame_to_us(const uint8_t mac[6], uint16_t port, const std::string& payload) {
    std::vector<uint8_t> f(42 + payload.size());
    std::memcpy(&f[0], mac, 6);
    const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0x77, 0x02};
    std::memcpy(&f[6], peer_mac, 6);
    f[12] = 0x08;
    uint8_t* ip = &f[14];
    uint16_t ip_len = static_cast<uint16_t>(28 + payload.size());
    ip[0] = 0x45, ip[2] = ip_len >> 8, ip[3] = ip_len & 0xff, ip[6] = 0x40, ip[8] = 64, ip[9] = 17;
    ::inet_pton(AF_INET, kPeerIp, ip + 12);
    ::inet_pton(AF_INET, kLocalIp, ip + 16);
    uint16_t sum = ip_checksum(ip, 20);
    ip[10] = sum >> 8, ip[11] = sum & 0xff;
    uint8_t* udp = ip + 20;
    uint16_t udp_len = static_cast<uint16_t>(8 + payload.size());
    udp[0] = 4000 >> 8, udp[1] = 4000 & 0xff, udp[2] = port >> 8, udp[3] = port & 0xff;
    udp[4] = udp_len >> 8, udp[5] = udp_len & 0xff;  // checksum 0: none (IPv4)
    std::memcpy(udp + 8, payload.data(), payload.size());
    return f;
}

bool read_mac(const std::string& ifname, uint8_t mac[6]) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFHWADDR, &ifr) < 0) return false;
    std::memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    return true;
}

bool set_txqueuelen(const std::string& ifname, int len) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    ifr.ifr_qlen = len;
    return ::ioctl(s.get(), SIOCSIFTXQLEN, &ifr) == 0;
}

namespace {

void unattached_file(Report& r) {
    UniqueFd fd = open_ctl(O_NONBLOCK);
    char buf[64];
    expect_rc(r, ::read(fd.get(), buf, sizeof buf), EBADFD, "read before attach");
    expect_rc(r, ::write(fd.get(), buf, sizeof buf), EBADFD, "write before attach");
    r.check(poll_events(fd.get(), 0) == POLLERR, "poll before attach reports POLLERR");
}

void read_semantics(Report& r, int fd, const std::string& ifname) {
    std::vector<uint8_t> buf(kBig);
    expect_rc(r, ::read(fd, buf.data(), buf.size()), EAGAIN, "non-blocking read with nothing queued");
    r.check(poll_events(fd, 0) == POLLOUT, "poll: writable, not readable");
    long tx = stat_value(ifname, "tx_packets");
    send_udp("probe-1");
    r.check(wait_readable(fd), "poll reports the frame the stack sent");
    r.check(stat_value(ifname, "tx_packets") == tx, "a queued frame is not counted yet");
    r.check(::read(fd, buf.data(), 0) == 0, "a zero-length read returns 0");
    r.check(poll_events(fd, 0) & POLLIN, "and leaves the frame queued");
    ssize_t n = ::read(fd, buf.data(), buf.size());
    r.check(n > 0 && udp_payload(buf.data(), static_cast<size_t>(n)) == "probe-1", "the next read returns the whole frame");
    r.check(stat_value(ifname, "tx_packets") == tx + 1, "tx_packets counts it once read");

    long dropped = stat_value(ifname, "tx_dropped");
    tx = stat_value(ifname, "tx_packets");
    send_udp("probe-2-a-frame-longer-than-20-bytes");
    r.check(wait_readable(fd), "second frame queued");
    expect_rc(r, ::read(fd, buf.data(), 20), EMSGSIZE, "short buffer: EMSGSIZE");
    expect_rc(r, ::read(fd, buf.data(), buf.size()), EAGAIN, "the frame was dropped, not cut");
    send_udp("probe-3");
    r.check(wait_readable(fd), "third frame queued");
    expect_rc(r, ::syscall(SYS_read, fd, 16L, 2048L), EFAULT, "read into a garbage pointer");
    r.check(stat_value(ifname, "tx_dropped") == dropped + 2, "both dropped frames are counted in tx_dropped");
    r.check(stat_value(ifname, "tx_packets") == tx, "and not in tx_packets",
            std::to_string(stat_value(ifname, "tx_packets") - tx));
}

// Malformed writes count in rx_frame_errors, once per failed write; a
// write to a down interface fails (ENETDOWN) and counts in rx_dropped.
void write_errors(Report& r, int fd, const std::string& ifname, const std::vector<uint8_t>& good) {
    std::vector<uint8_t> big(VNDD_MAX_FRAME + 1, 0);
    long errors = stat_value(ifname, "rx_frame_errors");
    expect_rc(r, ::write(fd, big.data(), 13), EINVAL, "write shorter than an Ethernet header");
    expect_rc(r, ::write(fd, big.data(), 1500 + 14 + 4 + 1), EMSGSIZE, "write longer than MTU + headers");
    expect_rc(r, ::write(fd, big.data(), big.size()), EMSGSIZE, "write longer than VNDD_MAX_FRAME");
    expect_rc(r, ::syscall(SYS_write, fd, 16L, 100L), EFAULT, "write from a garbage pointer");
    r.check(stat_value(ifname, "rx_frame_errors") == errors + 3, "the 3 malformed writes count in rx_frame_errors",
            std::to_string(stat_value(ifname, "rx_frame_errors") - errors));

    long rx = stat_value(ifname, "rx_packets"), rx_dropped = stat_value(ifname, "rx_dropped");
    r.check(set_up(ifname, false), "set the interface down");
    expect_rc(r, ::write(fd, good.data(), good.size()), ENETDOWN, "write to a down interface: ENETDOWN");
    r.check(stat_value(ifname, "rx_dropped") == rx_dropped + 1 && stat_value(ifname, "rx_packets") == rx,
            "counted in rx_dropped, not rx_packets");
    r.check(set_up(ifname, true), "set the interface up again");
}

void write_semantics(Report& r, int fd, const std::string& ifname) {
    uint8_t mac[6];
    r.check(read_mac(ifname, mac), "read the interface's MAC");
    UniqueFd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in me = ipv4_addr(kLocalIp, 7777);
    r.check(::bind(rx.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) == 0, "bind a UDP receiver");
    auto frame = frame_to_us(mac, 7777, "injected");
    write_errors(r, fd, ifname, frame);
    long rx_packets = stat_value(ifname, "rx_packets");
    r.check(::write(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size()), "write one frame");
    char got[64] = {};
    r.check(poll_events(rx.get(), 2000) & POLLIN, "the stack delivers the written frame");
    ssize_t n = ::recv(rx.get(), got, sizeof got, MSG_DONTWAIT);
    r.check(n == 8 && std::memcmp(got, "injected", 8) == 0, "payload arrives intact");
    r.check(stat_value(ifname, "rx_packets") == rx_packets + 1, "rx_packets counts it");
    r.check(::recv(rx.get(), got, sizeof got, MSG_DONTWAIT) < 0, "nothing arrived while the interface was down");
}

void queue_bound(Report& r, int fd, const std::string& ifname) {
    r.check(set_txqueuelen(ifname, 8), "txqueuelen 8");
    long dropped = stat_value(ifname, "tx_dropped");
    send_udp("flood", 100);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::vector<uint8_t> buf(kBig);
    int queued = 0;
    while (queued < 1000 && ::read(fd, buf.data(), buf.size()) > 0) ++queued;
    r.check(queued == 8, "the queue holds txqueuelen frames", std::to_string(queued) + " read");
    r.check(stat_value(ifname, "tx_dropped") == dropped + 92, "the other 92 are counted as tx_dropped",
            std::to_string(stat_value(ifname, "tx_dropped") - dropped));
    set_txqueuelen(ifname, 1000);
}

void blocking_read(Report& r, int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    auto reader = std::async(std::launch::async, [fd] {
        std::vector<uint8_t> buf(kBig);
        ssize_t n = ::read(fd, buf.data(), buf.size());
        return n > 0 ? udp_payload(buf.data(), static_cast<size_t>(n)) : std::string();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    send_udp("wake");
    bool done = reader.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
    r.check(done && reader.get() == "wake", "a blocked read wakes for a frame");
    ::fcntl(fd, F_SETFL, flags);
}

}  // namespace

void case_io(Report& r, const std::string& ifname) {
    unattached_file(r);
    r.check(sys_value(ifname, "carrier") == 0, "no carrier before attach");
    UniqueFd fd = open_ctl(O_NONBLOCK), other = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname), 0, "attach");
    r.expect_code(attach_if(fd.get(), ifname), EISCONN, "attaching the same file again: EISCONN");
    r.check(sys_value(ifname, "carrier") == 1, "carrier up while attached");
    r.expect_code(attach_if(other.get(), ifname), EBUSY, "a second file cannot attach: EBUSY");
    read_semantics(r, fd.get(), ifname);
    write_semantics(r, fd.get(), ifname);
    queue_bound(r, fd.get(), ifname);
    blocking_read(r, fd.get());
    fd.reset();
    r.check(sys_value(ifname, "carrier") == 0, "carrier down after close");
    r.expect_code(attach_if(other.get(), ifname), 0, "after close another file attaches");
}

// Frames reaching an unattached interface (past the qdisc) are dropped and counted.
void case_detached_drop(Report& r, const std::string& ifname) {
    UniqueFd s(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));
    int one = 1;
    r.check(::setsockopt(s.get(), SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) == 0, "PACKET_QDISC_BYPASS");
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
    to.sll_halen = 6;
    std::memset(to.sll_addr, 0xff, 6);
    uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5};
    long dropped = stat_value(ifname, "tx_dropped"), sent = stat_value(ifname, "tx_packets");
    // Without carrier the core may drop them before the driver: either
    // way they must show up in the interface's tx_dropped.
    for (int i = 0; i < 5; ++i) (void)::sendto(s.get(), frame, sizeof frame, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
    r.check(stat_value(ifname, "tx_dropped") == dropped + 5 && stat_value(ifname, "tx_packets") == sent,
            "all 5 counted as tx_dropped");
}

}  // namespace probe
