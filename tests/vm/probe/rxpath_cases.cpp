// vndd_probe rxpath IF: how written frames enter the stack, seen through
// the kernel's tracepoints and kprobes (tests/vm/guest/rxpath_test.sh
// prepares IF as io_test.sh does, plus a route 192.168.79.0/24 out of a
// veth with a static neighbour, forwarding on):
//  - write() hands each frame to netif_receive_skb from the writer's task
//    with BH disabled, never to netif_rx's backlog;
//  - the per-CPU counters are updated with BH disabled (vndd_count_rx in
//    write(), vndd_count_tx in read());
//  - the linear part of a large frame stays within one page, whatever
//    hdr_len says and whatever the csum fields say without NEEDS_CSUM;
//  - a forwarded frame has the headroom it needs (no pskb_expand_head).
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "tests/vm/probe/offload_frames.h"
#include "tests/vm/probe/trace.h"

namespace probe {
namespace {

constexpr int kFrames = 20;
// Above this the linear part would need more than one page.
constexpr long kOnePage = 4096;
// Enough for the headers of any frame whose virtio_net_hdr asks for nothing more.
constexpr long kFewHeaders = 1024;

std::vector<TraceEvent> named(const std::vector<TraceEvent>& all, const std::string& name, const std::string& dev = "") {
    std::vector<TraceEvent> out;
    for (const auto& e : all)
        if (e.name == name && (dev.empty() || (e.fields.count("dev") && e.fields.at("dev") == dev))) out.push_back(e);
    return out;
}

// True when every event happened in this thread (the writer or reader), BH off.
bool all_bh_off_here(const std::vector<TraceEvent>& events) {
    for (const auto& e : events)
        if (!e.bh_off() || !e.task_context() || e.pid != ::gettid()) return false;
    return true;
}

std::string describe(const std::vector<TraceEvent>& events) {
    std::string s = std::to_string(events.size()) + " events";
    if (!events.empty())
        s += ", first in task " + std::to_string(events[0].pid) + " (we are " + std::to_string(::gettid()) +
             ") with flags " + events[0].flags;
    return s;
}

void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(200)); }

void receive_context(Report& r, const std::string& ifname, const uint8_t mac[6]) {
    Trace t({"net/netif_receive_skb_entry", "net/netif_rx_entry"}, {{"vndd_rx", "vnddmgr:vndd_count_rx"}});
    r.check(t.ok(), "trace netif_receive_skb, netif_rx and vndd_count_rx", t.error());
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname), 0, "attach");
    UniqueFd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in me = ipv4_addr(kLocalIp, 7790);
    r.check(::bind(rx.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) == 0, "bind a UDP receiver");
    auto frame = frame_to_us(mac, 7790, "rxpath");
    t.clear();
    int written = 0;
    for (int i = 0; i < kFrames; ++i) written += ::write(fd.get(), frame.data(), frame.size()) > 0;
    r.check(written == kFrames, "write " + std::to_string(kFrames) + " frames");
    auto all = t.events();
    auto direct = named(all, "netif_receive_skb_entry", ifname);
    r.check(direct.size() == kFrames && all_bh_off_here(direct),
            "each enters netif_receive_skb from the writer, BH off", describe(direct));
    r.check(named(all, "netif_rx_entry", ifname).empty(), "none goes through netif_rx");
    auto counted = named(all, "vndd_rx");
    r.check(counted.size() == kFrames && all_bh_off_here(counted),
            "rx counters updated with BH off, once per frame", describe(counted));
}

void transmit_count_context(Report& r, const std::string& ifname) {
    Trace t({}, {{"vndd_tx", "vnddmgr:vndd_count_tx"}});
    r.check(t.ok(), "trace vndd_count_tx", t.error());
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname), 0, "attach");
    r.check(wait_operstate_up(ifname), "operstate up");
    send_udp("txpath", 3);
    settle();
    t.clear();
    std::vector<uint8_t> buf(kBig);
    int got = 0;
    while (got < 10 && ::read(fd.get(), buf.data(), buf.size()) > 0) ++got;
    auto counted = named(t.events(), "vndd_tx");
    r.check(got == 3 && counted.size() == 3 && all_bh_off_here(counted),
            "tx counters updated in read() with BH off", std::to_string(got) + " read, " + describe(counted));
}

// The netif_receive_skb_entry event of the frame of `len` bytes (Ethernet header included), or null.
const TraceEvent* by_len(const std::vector<TraceEvent>& events, size_t len) {
    for (const auto& e : events)
        if (e.number("len") == static_cast<long>(len) - 14) return &e;
    return nullptr;
}

void check_linear(Report& r, const TraceEvent* e, long most, const std::string& what) {
    long linear = e ? e->number("len") - e->number("data_len") : -1;
    r.check(e && linear > 0 && linear <= most, what, std::to_string(linear) + " bytes linear");
}

void linear_cap(Report& r, const std::string& ifname, const uint8_t mac[6]) {
    Trace t({"net/netif_receive_skb_entry", "net/netif_rx_entry"}, {});
    r.check(t.ok(), "trace netif_receive_skb and netif_rx", t.error());
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname, VNDD_ATTACH_VNET_HDR), 0, "attach with VNET_HDR");
    t.clear();
    // A super-frame whose hdr_len claims 8000 bytes of headers.
    auto super = tcp4_to_us(mac, 4010, 9000 - 54);
    virtio_net_hdr h = gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000);
    h.hdr_len = 8000;
    r.check(write_vnet(fd.get(), h, super) > 0, "write a 9000-byte super-frame with hdr_len 8000");
    // A plain frame whose csum fields mean nothing (no NEEDS_CSUM) but point far in.
    auto plain = frame_to_us(mac, 7791, std::string(8000 - 42, 'p'));
    virtio_net_hdr junk{};
    junk.csum_start = 7000, junk.csum_offset = 900;
    r.check(write_vnet(fd.get(), junk, plain) > 0, "write an 8000-byte frame with csum fields but no NEEDS_CSUM");
    // Whichever way the frames entered the stack, they show their layout.
    auto all = t.events();
    auto events = named(all, "netif_receive_skb_entry", ifname), queued = named(all, "netif_rx_entry", ifname);
    events.insert(events.end(), queued.begin(), queued.end());
    check_linear(r, by_len(events, super.size()), kOnePage, "the super-frame: linear part within a page");
    check_linear(r, by_len(events, plain.size()), kFewHeaders,
                 "the plain frame: only what the stack parses first is linear (csum fields ignored)");
}

// A frame from the peer to 192.168.79.2, which the stack forwards out of the veth.
std::vector<uint8_t> frame_to_forward(const uint8_t mac[6]) {
    auto f = frame_to_us(mac, 9, "forward-me");
    uint8_t* ip = &f[14];
    ::inet_pton(AF_INET, "192.168.79.2", ip + 16);
    ip[10] = ip[11] = 0;
    uint16_t sum = ip_checksum(ip, 20);
    ip[10] = sum >> 8, ip[11] = sum & 0xff;
    return f;
}

void forward_headroom(Report& r, const std::string& ifname, const uint8_t mac[6]) {
    long out0 = stat_value("vfw0", "tx_packets");
    Trace t({}, {{"expand", "pskb_expand_head"}});
    r.check(t.ok(), "trace pskb_expand_head", t.error());
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname), 0, "attach");
    auto frame = frame_to_forward(mac);
    t.clear();
    for (int i = 0; i < kFrames; ++i) (void)::write(fd.get(), frame.data(), frame.size());
    auto expanded = named(t.events(), "expand");
    r.check(stat_value("vfw0", "tx_packets") >= out0 + kFrames, "the frames are forwarded out of vfw0",
            std::to_string(stat_value("vfw0", "tx_packets") - out0));
    r.check(expanded.empty(), "with the headroom they need (no pskb_expand_head)", describe(expanded));
}

}  // namespace

void case_rxpath(Report& r, const std::string& ifname) {
    uint8_t mac[6];
    r.check(read_mac(ifname, mac), "read the interface's MAC");
    receive_context(r, ifname, mac);
    transmit_count_context(r, ifname);
    linear_cap(r, ifname, mac);
    forward_headroom(r, ifname, mac);
}

}  // namespace probe
