// Offload metadata (VNDD_ATTACH_VNET_HDR): a virtio_net_hdr before each
// frame, the interface's offloads following the attached file (exactly
// those the ABI header lists: no UDP segmentation), and
// every malformed header refused with EINVAL (the unload test then checks
// dmesg for oopses and warnings). Interface prepared as for case_io.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include "common/device/offload.h"
#include <net/if.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <poll.h>
#include <unistd.h>

#include <cstring>

#include "tests/vm/probe/netdev_features.h"
#include "tests/vm/probe/offload_frames.h"

namespace probe {
namespace {

// ETHTOOL_GTSO: 1 when the stack may hand the interface TCP super-frames.
int tso_on(const std::string& ifname) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ethtool_value v{ETHTOOL_GTSO, 0};
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    ifr.ifr_data = reinterpret_cast<char*>(&v);
    return ::ioctl(s.get(), SIOCETHTOOL, &ifr) == 0 ? static_cast<int>(v.data) : -1;
}

void features_follow_attach(Report& r, const std::string& ifname) {
    r.check(tso_on(ifname) == 0, "no TSO while detached");
    {
        UniqueFd plain = open_ctl(O_NONBLOCK);
        r.expect_code(attach_if(plain.get(), ifname), 0, "attach without VNET_HDR");
        r.check(tso_on(ifname) == 0, "no TSO for a file without virtio_net_hdrs");
    }
    UniqueFd bad = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(bad.get(), ifname, 1u << 7), EINVAL, "unknown attach flag: EINVAL");
}

// What driver/vnddmgr_abi.h says a VNET_HDR file is offered: SG, HW_CSUM,
// TSO, TSO_ECN and TSO6, and no UDP segmentation (ABI 1's header promised
// GSO_UDP_L4, which the driver never offered).
void offered_features(Report& r, const std::string& ifname) {
    auto f = netdev_features(ifname);
    r.check(!f.empty(), "ethtool lists the interface's features");
    for (const char* on : {"tx-scatter-gather", "tx-checksum-ip-generic", "tx-tcp-segmentation",
                           "tx-tcp-ecn-segmentation", "tx-tcp6-segmentation"})
        r.check(f[on], std::string(on) + " on, as the ABI header says");
    r.check(f.count("tx-udp-segmentation") && !f["tx-udp-segmentation"],
            "tx-udp-segmentation off: no UDP super-frame is ever read, as the ABI header says");
}

void read_side(Report& r, int fd, const std::string& ifname) {
    std::vector<uint8_t> buf(kBig + 64);
    send_udp("offload-read");
    r.check(wait_readable(fd), "a UDP datagram is queued");
    long dropped = stat_value(ifname, "tx_dropped");
    ssize_t want = static_cast<ssize_t>(sizeof(virtio_net_hdr) + 42 + 12);
    expect_rc(r, ::read(fd, buf.data(), static_cast<size_t>(want - 1)), EMSGSIZE, "header + frame must fit: EMSGSIZE");
    r.check(stat_value(ifname, "tx_dropped") == dropped + 1, "the frame is dropped and counted");
    send_udp("offload-read");
    r.check(wait_readable(fd), "another datagram is queued");
    ssize_t n = ::read(fd, buf.data(), buf.size());
    r.check(n == want, "read returns header + frame", std::to_string(n));
    virtio_net_hdr h;
    std::memcpy(&h, buf.data(), sizeof h);
    r.check(h.gso_type == VIRTIO_NET_HDR_GSO_NONE, "no GSO for a datagram");
    r.check(h.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM && h.csum_start == 34 && h.csum_offset == 6,
            "UDP checksum left to us (NEEDS_CSUM, start 34, offset 6)",
            std::to_string(h.flags) + " " + std::to_string(h.csum_start) + " " + std::to_string(h.csum_offset));
    r.check(udp_payload(buf.data() + sizeof h, static_cast<size_t>(n) - sizeof h) == "offload-read", "the frame follows");
}

// Drains what the stack answered; true when a TCP RST to the peer was among it.
bool rst_sent(int fd) {
    std::vector<uint8_t> buf(kBig + 64);
    bool rst = false;
    for (int i = 0; i < 20 && wait_readable(fd); ++i) {
        ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n <= 0) break;
        const uint8_t* f = buf.data() + sizeof(virtio_net_hdr);
        if (n >= static_cast<ssize_t>(sizeof(virtio_net_hdr) + 54) && f[12] == 0x08 && f[23] == 6 && (f[47] & 0x04))
            rst = true;
    }
    return rst;
}

void write_good(Report& r, int fd, const uint8_t mac[6], const std::string& ifname) {
    UniqueFd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in me = ipv4_addr(kLocalIp, 7778);
    r.check(::bind(rx.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) == 0, "bind a UDP receiver");
    auto udp = frame_to_us(mac, 7778, "plain");
    virtio_net_hdr none{};
    r.check(write_vnet(fd, none, udp) == static_cast<ssize_t>(sizeof none + udp.size()), "write: header + frame");
    auto partial = udp_partial(mac, 7778, "partial");
    r.check(write_vnet(fd, partial_hdr(34, 6), partial) == static_cast<ssize_t>(sizeof none + partial.size()),
            "write a UDP frame with a partial checksum");
    char got[64];
    std::string seen;
    while (poll_events(rx.get(), 1000) & POLLIN) {
        ssize_t n = ::recv(rx.get(), got, sizeof got, MSG_DONTWAIT);
        if (n > 0) seen += std::string(got, static_cast<size_t>(n)) + ";";
    }
    r.check(seen == "plain;partial;", "both delivered", seen);

    long rx_packets = stat_value(ifname, "rx_packets");
    auto super = tcp4_to_us(mac, 4000, 3 * 1000);
    r.check(write_vnet(fd, gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000), super) ==
                static_cast<ssize_t>(sizeof none + super.size()),
            "write a TCPv4 super-frame (3 segments)");
    r.check(stat_value(ifname, "rx_packets") == rx_packets + 1, "rx_packets counts it");
    r.check(rst_sent(fd), "the stack answers it (RST: no listener)");
    auto huge = tcp4_to_us(mac, 4000, VNDD_MAX_GSO_FRAME - 54 + 1);
    expect_rc(r, write_vnet(fd, gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000), huge), EMSGSIZE,
              "super-frame over VNDD_MAX_GSO_FRAME: EMSGSIZE");
    expect_rc(r, write_vnet(fd, none, huge), EMSGSIZE, "a big frame without GSO: EMSGSIZE");
}

void write_bad_headers(Report& r, int fd, const uint8_t mac[6]) {
    auto tcp = tcp4_to_us(mac, 4001, 3000);
    auto udp = frame_to_us(mac, 7778, "x");
    struct Case {
        virtio_net_hdr h;
        const std::vector<uint8_t>* frame;
        const char* what;
    };
    virtio_net_hdr unknown_type = gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000);
    unknown_type.gso_type = 7;
    // UDP segmentation headers that are otherwise well formed: only their gso_type is refused.
    virtio_net_hdr ufo = gso_hdr(VIRTIO_NET_HDR_GSO_UDP, 1000);
    ufo.csum_offset = 6, ufo.hdr_len = 42;
    virtio_net_hdr udp_l4 = ufo;
    udp_l4.gso_type = tvpn::OffloadHeader::kGsoUdpL4;
    virtio_net_hdr zero_size = gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 0);
    virtio_net_hdr no_csum = gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000);
    no_csum.flags = 0;
    virtio_net_hdr bad_flags = partial_hdr(34, 6);
    bad_flags.flags |= 0x80;
    virtio_net_hdr start_out = partial_hdr(5000, 6);
    virtio_net_hdr off_out = partial_hdr(34, 4000);
    virtio_net_hdr in_eth = partial_hdr(4, 6);
    virtio_net_hdr tcp_wrong_off = gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000);
    tcp_wrong_off.csum_offset = 6;
    virtio_net_hdr long_hdr = partial_hdr(34, 6);
    long_hdr.hdr_len = 60000;
    const Case cases[] = {
        {unknown_type, &tcp, "unknown gso_type"},
        {ufo, &udp, "UFO (gso_type UDP)"},
        {udp_l4, &udp, "UDP_L4 (not offered)"},
        {zero_size, &tcp, "gso_size 0"},
        {no_csum, &tcp, "super-frame without NEEDS_CSUM"},
        {bad_flags, &udp, "unknown flags"},
        {start_out, &udp, "csum_start beyond the frame"},
        {off_out, &udp, "csum_offset beyond the frame"},
        {in_eth, &udp, "csum_start inside the Ethernet header"},
        {tcp_wrong_off, &tcp, "TCP super-frame with csum_offset 6"},
        {long_hdr, &udp, "hdr_len beyond the frame"},
    };
    for (const auto& c : cases) expect_rc(r, write_vnet(fd, c.h, *c.frame), EINVAL, std::string(c.what) + ": EINVAL");
    uint8_t shorty[sizeof(virtio_net_hdr) + 13] = {};
    expect_rc(r, ::write(fd, shorty, sizeof shorty), EINVAL, "header + 13 bytes: EINVAL");
    expect_rc(r, ::write(fd, shorty, 5), EINVAL, "half a header: EINVAL");
}

bool set_mtu(const std::string& ifname, int mtu) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    ifr.ifr_mtu = mtu;
    return ::ioctl(s.get(), SIOCSIFMTU, &ifr) == 0;
}

// A frame the kernel does not turn into a super-frame (it fits one
// gso_size segment) is a plain frame and must fit the MTU, whatever its
// header's gso_type said.
void gso_header_no_mtu_bypass(Report& r, int fd, const uint8_t mac[6], const std::string& ifname) {
    r.check(set_mtu(ifname, 1400), "MTU 1400");
    long rx = stat_value(ifname, "rx_packets"), errors = stat_value(ifname, "rx_frame_errors");
    auto jumbo = tcp4_to_us(mac, 4003, 9000 - 54);
    expect_rc(r, write_vnet(fd, gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 60000), jumbo), EMSGSIZE,
              "9000-byte frame with a TCPv4 header of gso_size 60000 into MTU 1400: EMSGSIZE");
    r.check(stat_value(ifname, "rx_packets") == rx && stat_value(ifname, "rx_frame_errors") == errors + 1,
            "not received; counted in rx_frame_errors");
    auto fits = tcp4_to_us(mac, 4003, 1400 + 14 + 4 - 54);
    r.check(write_vnet(fd, gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 60000), fits) ==
                static_cast<ssize_t>(sizeof(virtio_net_hdr) + fits.size()),
            "the same header on a frame of MTU + 18 bytes is taken");
    r.check(stat_value(ifname, "rx_packets") == rx + 1, "and received");
    r.check(rst_sent(fd), "the stack answers it");
    r.check(set_mtu(ifname, 1500), "MTU 1500 again");
}

}  // namespace

void case_offload(Report& r, const std::string& ifname) {
    features_follow_attach(r, ifname);
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname, VNDD_ATTACH_VNET_HDR), 0, "attach with VNET_HDR");
    r.check(tso_on(ifname) == 1, "TSO on while a VNET_HDR file is attached");
    offered_features(r, ifname);
    uint8_t mac[6];
    r.check(read_mac(ifname, mac), "read the interface's MAC");
    read_side(r, fd.get(), ifname);
    write_good(r, fd.get(), mac, ifname);
    write_bad_headers(r, fd.get(), mac);
    gso_header_no_mtu_bypass(r, fd.get(), mac, ifname);
    fd.reset();
    r.check(tso_on(ifname) == 0, "TSO off again after close");
}

}  // namespace probe
