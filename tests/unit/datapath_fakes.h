// Test doubles for the datapath: a fake device that queues and records
// frames (batched or not, with or without offloads), test frames, and a
// private network namespace to run two or more datapaths over loopback in.
#pragma once

#include "common/datapath/datapath.h"
#include "common/codec/frame_codec.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <vector>

#include "common/device/device.h"

namespace tvpn::test {

using Bytes = std::vector<uint8_t>;

// A device that hands out queued frames and records what it is given. With
// `batching`, read_batch packs frames as the vnddmgr module does (a record
// header and alignment before each, as many as fit, at most out.size());
// write_batch takes up to `write_limit` frames a call and refuses frames
// whose first byte is 0xee with EINVAL.
class FakeDevice final : public Device {
public:
    FakeDevice(bool batching, bool offloads) : batching_(batching), offloads_(offloads) {}
    const std::string& name() const override { return name_; }
    const char* backend() const override { return "fake"; }
    int poll_fd() const override { return -1; }
    bool offloads() const override { return offloads_; }
    bool batches() const override { return batching_; }

    IoResult read_frame(std::span<uint8_t> buf) override {
        ++read_calls;
        OffloadHeader h;
        return pop(buf, h);
    }
    IoResult read_offload(std::span<uint8_t> buf, OffloadHeader& h) override {
        ++read_calls;
        return pop(buf, h);
    }
    IoResult write_frame(std::span<const uint8_t> frame) override { return write_offload(frame, {}); }
    IoResult write_offload(std::span<const uint8_t> frame, const OffloadHeader& h) override {
        ++write_calls;
        if (!frame.empty() && frame[0] == 0xee) return {IoStatus::Failed, 0, EINVAL};
        written.emplace_back(frame.begin(), frame.end());
        written_hdr.push_back(h);
        return {IoStatus::Ok, frame.size()};
    }

    IoResult read_batch(std::span<uint8_t> buf, std::span<RxFrame> out) override {
        if (!batching_) return Device::read_batch(buf, out);
        ++batch_reads;
        if (rx.empty()) return {IoStatus::WouldBlock};
        size_t used = 0, n = 0;
        while (n < out.size() && !rx.empty()) {
            const size_t at = (used + 7) / 8 * 8 + 18;  // padding, record header, metadata
            if (at + rx.front().first.size() > buf.size()) break;
            std::memcpy(buf.data() + at, rx.front().first.data(), rx.front().first.size());
            out[n++] = {buf.subspan(at, rx.front().first.size()), rx.front().second};
            used = at + rx.front().first.size();
            rx.pop_front();
        }
        if (n == 0) {  // the first frame alone does not fit: dropped
            rx.pop_front();
            return {IoStatus::Truncated};
        }
        return {IoStatus::Ok, n};
    }
    IoResult write_batch(std::span<const TxFrame> frames) override {
        if (!batching_) return Device::write_batch(frames);
        ++batch_writes;
        size_t n = 0;
        for (; n < frames.size() && n < write_limit; ++n) {
            const TxFrame& f = frames[n];
            if (!f.frame.empty() && f.frame[0] == 0xee) break;
            written.emplace_back(f.frame.begin(), f.frame.end());
            written_hdr.push_back(f.hdr);
        }
        if (n == 0) return fail_with ? IoResult{IoStatus::Failed, 0, fail_with} : IoResult{IoStatus::Failed, 0, EINVAL};
        return {IoStatus::Ok, n};
    }

    std::deque<std::pair<Bytes, OffloadHeader>> rx;
    std::vector<Bytes> written;
    std::vector<OffloadHeader> written_hdr;
    size_t read_calls = 0, write_calls = 0, batch_reads = 0, batch_writes = 0;
    size_t write_limit = kDeviceBatchMax;
    int fail_with = 0;  // errno for every write (0: none)

private:
    IoResult pop(std::span<uint8_t> buf, OffloadHeader& h) {
        if (rx.empty()) return {IoStatus::WouldBlock};
        auto [frame, hdr] = std::move(rx.front());
        rx.pop_front();
        if (frame.size() > buf.size()) return {IoStatus::Truncated};
        std::memcpy(buf.data(), frame.data(), frame.size());
        h = hdr;
        return {IoStatus::Ok, frame.size()};
    }

    std::string name_ = "fake0";
    bool batching_, offloads_;
};

// A frame of `size` bytes: Ethernet header, then a pattern from `seed`.
inline Bytes test_frame(size_t size, uint8_t seed) {
    Bytes f(size);
    for (size_t i = 0; i < size; ++i) f[i] = static_cast<uint8_t>(seed + i);
    f[0] = 0x02;  // a unicast destination; never 0xee, the fake's refusal mark
    return f;
}

// Frames of one flow (one Ethernet header), which the fair queue keeps in
// order: test_frame()'s patterns after the header of test_frame(size, 0).
inline Bytes one_flow_frame(size_t size, uint8_t seed) {
    Bytes f = test_frame(size, seed);
    const Bytes header = test_frame(14, 0);
    std::copy(header.begin(), header.end(), f.begin());
    return f;
}

// Runs `body` in a child process inside a new network namespace with only
// loopback up. Returns its exit code: 0 passed, 1 failed, 77 no namespace.
template <class Body>
int in_private_netns(Body body) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
        if (unshare(CLONE_NEWNET) != 0) _exit(77);
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        ifreq ifr{};
        std::strcpy(ifr.ifr_name, "lo");
        if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) _exit(3);
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) _exit(3);
        close(s);
        body();
        std::fflush(stdout);
        _exit(::testing::Test::HasFailure() ? 1 : 0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 2;
    return WEXITSTATUS(status);
}

#define RUN_IN_PRIVATE_NETNS(body)                                                        \
    do {                                                                                  \
        int rc_ = in_private_netns(body);                                                 \
        if (rc_ == 77) GTEST_SKIP() << "needs a private network namespace (run as root)"; \
        EXPECT_EQ(rc_, 0) << "the test failed in its network namespace (see above)";      \
    } while (0)

// Two datapaths, a and b, one clear tunnel between them over loopback, each
// on a fake device the test keeps a pointer to.
struct TwoDatapaths {
    Logger log{"test", Logger::Sink::Silent};
    Datapath a{log}, b{log};
    FakeDevice* dev_a = nullptr;
    FakeDevice* dev_b = nullptr;

    TwoDatapaths(bool batching, bool offloads) {
        auto ea = *Endpoint::resolve("127.0.0.1", "33000"), eb = *Endpoint::resolve("127.0.0.1", "33001");
        auto da = std::make_unique<FakeDevice>(batching, offloads), db = std::make_unique<FakeDevice>(batching, offloads);
        dev_a = da.get();
        dev_b = db.get();
        auto ta = std::make_unique<Peer>(PeerConfig{"fake0", "fake0", ea, eb}, std::make_unique<ClearCodec>());
        auto tb = std::make_unique<Peer>(PeerConfig{"fake0", "fake0", eb, ea}, std::make_unique<ClearCodec>());
        EXPECT_TRUE(a.add_tunnel(std::move(ta), std::move(da)));
        EXPECT_TRUE(b.add_tunnel(std::move(tb), std::move(db)));
    }
    const TunnelStats& stats_a() const { return a.peers()[0].peer->stats(); }
    const TunnelStats& stats_b() const { return b.peers()[0].peer->stats(); }
};


}  // namespace tvpn::test
