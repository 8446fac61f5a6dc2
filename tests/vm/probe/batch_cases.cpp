// Batched frame I/O (VNDD_ATTACH_BATCH): several struct vndd_frame records
// per read()/write(), partial batches, and every malformed record refused.
// Interface prepared as for case_io.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "tests/vm/probe/offload_frames.h"

namespace probe {
namespace {

void settle() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }

std::vector<std::vector<uint8_t>> read_batch(int fd, size_t cap, ssize_t* rc = nullptr) {
    std::vector<uint8_t> buf(cap);
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (rc) *rc = n;
    std::vector<std::vector<uint8_t>> out;
    if (n > 0 && !parse_batch(buf.data(), static_cast<size_t>(n), out)) out.clear();
    return out;
}

void batched_reads(Report& r, int fd, const std::string& ifname) {
    for (int i = 0; i < 5; ++i) send_udp("batch-" + std::to_string(i));
    settle();
    char none[1];
    r.check(::read(fd, none, 0) == 0, "a zero-length batched read returns 0");
    auto recs = read_batch(fd, 1 << 20);
    bool ok = recs.size() == 5;
    for (size_t i = 0; ok && i < recs.size(); ++i)
        ok = udp_payload(recs[i].data(), recs[i].size()) == "batch-" + std::to_string(i);
    r.check(ok, "one read returns 5 frames in order", std::to_string(recs.size()));

    for (int i = 0; i < 3; ++i) send_udp("two-" + std::to_string(i));
    settle();
    size_t rec = 8 + 42 + 5;  // struct vndd_frame + frame
    recs = read_batch(fd, 2 * rec + 3);
    r.check(recs.size() == 2, "a buffer for two records gets two", std::to_string(recs.size()));
    recs = read_batch(fd, 1 << 16);
    r.check(recs.size() == 1 && udp_payload(recs[0].data(), recs[0].size()) == "two-2", "the third stays queued");

    long dropped = stat_value(ifname, "tx_dropped");
    send_udp("too-big-for-the-buffer");
    settle();
    std::vector<uint8_t> small(20);
    expect_rc(r, ::read(fd, small.data(), small.size()), EMSGSIZE, "first record does not fit: EMSGSIZE");
    r.check(stat_value(ifname, "tx_dropped") == dropped + 1, "and is dropped and counted");
    send_udp("fault");
    settle();
    expect_rc(r, ::syscall(SYS_read, fd, 16L, 4096L), EFAULT, "batched read into a garbage pointer");

    r.check(set_txqueuelen(ifname, 200), "txqueuelen 200");
    send_udp("many", 100);
    settle();
    recs = read_batch(fd, 1 << 20);
    r.check(recs.size() == VNDD_BATCH_MAX, "at most VNDD_BATCH_MAX per read", std::to_string(recs.size()));
    recs = read_batch(fd, 1 << 20);
    r.check(recs.size() == 100 - VNDD_BATCH_MAX, "the rest on the next", std::to_string(recs.size()));
    set_txqueuelen(ifname, 1000);
}

std::string drain(int sock) {
    std::string seen;
    char got[128];
    while (poll_events(sock, 500) & POLLIN) {
        ssize_t n = ::recv(sock, got, sizeof got, MSG_DONTWAIT);
        if (n > 0) seen += std::string(got, static_cast<size_t>(n)) + ";";
    }
    return seen;
}

void batched_writes(Report& r, int fd, const uint8_t mac[6]) {
    UniqueFd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in me = ipv4_addr(kLocalIp, 7779);
    r.check(::bind(rx.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) == 0, "bind a UDP receiver");
    BatchBuf b;
    for (const char* p : {"w1", "w22", "w333"}) b.add(frame_to_us(mac, 7779, p));
    r.check(::write(fd, b.bytes.data(), b.bytes.size()) == static_cast<ssize_t>(b.bytes.size()), "write 3 records");
    r.check(drain(rx.get()) == "w1;w22;w333;", "all 3 delivered in order");

    BatchBuf bad;
    bad.add(frame_to_us(mac, 7779, "ok1"));
    bad.add(frame_to_us(mac, 7779, "flagged"), 1);
    ssize_t n = ::write(fd, bad.bytes.data(), bad.bytes.size());
    r.check(n >= static_cast<ssize_t>(bad.end_of_record(0)) && n < static_cast<ssize_t>(bad.end_of_record(1)),
            "a bad second record: the first is written", std::to_string(n));
    size_t next = (static_cast<size_t>(n) + 7) / 8 * 8;
    expect_rc(r, ::write(fd, bad.bytes.data() + next, bad.bytes.size() - next), EINVAL, "then the bad one: EINVAL");
    r.check(drain(rx.get()) == "ok1;", "only the good one delivered");

    auto frame = frame_to_us(mac, 7779, "x");
    auto expect_bad = [&](BatchBuf& bb, int err, const std::string& what) {
        expect_rc(r, ::write(fd, bb.bytes.data(), bb.bytes.size()), err, what);
    };
    BatchBuf beyond, tiny, trunc, oversize;
    beyond.add(frame, 0, static_cast<int64_t>(frame.size()) + 100);
    expect_bad(beyond, EINVAL, "record length beyond the buffer: EINVAL");
    tiny.add(std::vector<uint8_t>(13));
    expect_bad(tiny, EINVAL, "record shorter than an Ethernet header: EINVAL");
    trunc.bytes = {1, 0, 0};
    expect_bad(trunc, EINVAL, "truncated record header: EINVAL");
    oversize.add(std::vector<uint8_t>(1500 + 14 + 4 + 1));
    expect_bad(oversize, EMSGSIZE, "oversize frame: EMSGSIZE");
    expect_rc(r, ::syscall(SYS_write, fd, 16L, 100L), EFAULT, "batched write from a garbage pointer");

    BatchBuf many;
    for (int i = 0; i < 70; ++i) many.add(frame_to_us(mac, 7779, "m"));
    n = ::write(fd, many.bytes.data(), many.bytes.size());
    r.check(n >= static_cast<ssize_t>(many.end_of_record(VNDD_BATCH_MAX - 1)) &&
                n < static_cast<ssize_t>(many.end_of_record(VNDD_BATCH_MAX)),
            "70 records: VNDD_BATCH_MAX taken", std::to_string(n));
    drain(rx.get());
}

// Offload headers inside batches: plain, partial checksum, super-frame, bad.
void mixed(Report& r, int fd, const uint8_t mac[6]) {
    UniqueFd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in me = ipv4_addr(kLocalIp, 7780);
    r.check(::bind(rx.get(), reinterpret_cast<sockaddr*>(&me), sizeof me) == 0, "bind a UDP receiver");
    BatchBuf b;
    b.add_vnet(virtio_net_hdr{}, frame_to_us(mac, 7780, "m1"));
    b.add_vnet(partial_hdr(34, 6), udp_partial(mac, 7780, "m2"));
    b.add_vnet(gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 1000), tcp4_to_us(mac, 4002, 2500));
    b.add_vnet(virtio_net_hdr{}, frame_to_us(mac, 7780, "m3"));
    r.check(::write(fd, b.bytes.data(), b.bytes.size()) == static_cast<ssize_t>(b.bytes.size()),
            "a mixed batch (plain, partial, super-frame)");
    r.check(drain(rx.get()) == "m1;m2;m3;", "its datagrams delivered");
    BatchBuf bad;
    bad.add_vnet(gso_hdr(VIRTIO_NET_HDR_GSO_TCPV4, 0), tcp4_to_us(mac, 4002, 2500));
    expect_rc(r, ::write(fd, bad.bytes.data(), bad.bytes.size()), EINVAL, "a bad header in a batch: EINVAL");
    send_udp("vnet-batch");
    settle();
    std::vector<std::vector<uint8_t>> recs;
    for (int i = 0; i < 10; ++i) {
        auto got = read_batch(fd, 1 << 20);
        recs.insert(recs.end(), got.begin(), got.end());
        if (got.empty()) break;
    }
    bool found = false;
    for (const auto& rec : recs)
        if (rec.size() > 10 && udp_payload(rec.data() + 10, rec.size() - 10) == "vnet-batch") found = rec[0] == 1;
    r.check(found, "batched read carries the virtio_net_hdr (NEEDS_CSUM)");
}

void setflags(Report& r, int fd, const std::string& ifname) {
    UniqueFd idle = open_ctl(O_NONBLOCK);
    vndd_flags f{VNDD_ATTACH_BATCH, {}};
    r.expect_code(ioc(idle.get(), VNDD_IOC_SETFLAGS, &f), EBADFD, "SETFLAGS before attach: EBADFD");
    f = {VNDD_ATTACH_BATCH | VNDD_ATTACH_VNET_HDR, {}};
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, &f), EINVAL, "SETFLAGS cannot add VNET_HDR: EINVAL");
    f = {VNDD_ATTACH_BATCH, {0, 1, 0}};
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, &f), EINVAL, "SETFLAGS with reserved bits: EINVAL");
    f = {1u << 9, {}};
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, &f), EINVAL, "SETFLAGS with an unknown flag: EINVAL");
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, 16L), EFAULT, "SETFLAGS from a garbage pointer: EFAULT");
    f = {VNDD_ATTACH_BATCH_WRITE, {}};
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, &f), 0, "SETFLAGS: batched reads off");
    send_udp("single");
    settle();
    std::vector<uint8_t> buf(kBig);
    ssize_t n = ::read(fd, buf.data(), buf.size());
    r.check(n > 0 && udp_payload(buf.data(), static_cast<size_t>(n)) == "single", "then read() returns one bare frame");
    f = {VNDD_ATTACH_BATCH, {}};
    r.expect_code(ioc(fd, VNDD_IOC_SETFLAGS, &f), 0, "SETFLAGS: batched reads on again");
    (void)ifname;
}

}  // namespace

void case_batch(Report& r, const std::string& ifname) {
    uint8_t mac[6];
    r.check(read_mac(ifname, mac), "read the interface's MAC");
    {
        UniqueFd fd = open_ctl(O_NONBLOCK);
        r.expect_code(attach_if(fd.get(), ifname, VNDD_ATTACH_BATCH), 0, "attach with BATCH");
        batched_reads(r, fd.get(), ifname);
        batched_writes(r, fd.get(), mac);
        setflags(r, fd.get(), ifname);
    }
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname, VNDD_ATTACH_BATCH | VNDD_ATTACH_VNET_HDR), 0,
                  "attach with BATCH | VNET_HDR");
    mixed(r, fd.get(), mac);
}

}  // namespace probe
