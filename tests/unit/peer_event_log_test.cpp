// The daemon's peer log lines come from counters, compared tick by tick:
// state changes always, handshakes, path MTU and drops only with -v, each
// kind of failure and drop at most once per interval with its count, every
// line naming the interface and the peer. A datapath with a fake device and
// a codec whose metrics the test sets, in a private network namespace.
#include "vnddvpnd/peer_event_log.h"

#include <gtest/gtest.h>

#include "tests/unit/datapath_fakes.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

constexpr uint64_t S = 1'000'000'000;

class MetricsCodec final : public FrameCodec {
public:
    explicit MetricsCodec(CodecMetrics& m) : m_(m) {}
    const char* name() const override { return "metrics"; }
    SealResult seal(Packet&, uint64_t) override { return SealResult::send(); }
    OpenResult open(Packet&, uint64_t) override { return OpenResult::frame(); }
    CodecMetrics metrics(uint64_t) const override { return m_; }

private:
    CodecMetrics& m_;
};

struct OnePeer {
    CodecMetrics m;
    Logger log;
    Datapath d{log};
    explicit OnePeer(LogLevel level) : log("vnddvpnd", Logger::Sink::Stderr, level) {
        m.codec = "pwd";
        m.state = PeerState::Handshaking;
        const size_t ifc = d.add_interface(std::make_unique<FakeDevice>(false, false));
        auto codec = std::make_unique<MetricsCodec>(m);
        EXPECT_TRUE(d.add_peer(ifc, std::make_unique<Peer>(PeerConfig{"fake0", "site-b", *Endpoint::resolve("127.0.0.1", "33000"),
                                                                      *Endpoint::resolve("127.0.0.2", "1")},
                                                           std::move(codec))));
    }
};

// What one tick at `now` logs.
std::string tick(PeerEventLog& events, uint64_t now) {
    testing::internal::CaptureStderr();
    events.tick(now);
    return testing::internal::GetCapturedStderr();
}

void state_changes_without_verbose() {
    OnePeer p(LogLevel::Info);
    PeerEventLog events(p.d, p.log, 1 * S);
    EXPECT_EQ(tick(events, 2 * S), "");
    p.m.state = PeerState::Up;
    p.m.handshakes.initiated = 1;
    p.m.handshakes.completed = 1;
    p.m.path_mtu = 1400;
    p.d.peer(0).stats().drop(DropReason::Auth, 5);
    EXPECT_EQ(tick(events, 3 * S), "vnddvpnd: info: fake0 peer site-b: up: handshake complete, session established\n");
    p.m.handshakes.completed = 2;  // a rekey: not a state change
    EXPECT_EQ(tick(events, 4 * S), "");
    p.m.state = PeerState::NotResponding;
    p.m.last_authenticated_ns = 4 * S;
    EXPECT_EQ(tick(events, 19 * S),
              "vnddvpnd: warning: fake0 peer site-b: not responding: no authenticated packet for 15.0 s\n");
    EXPECT_EQ(tick(events, 20 * S), "");
    p.m.state = PeerState::Up;
    EXPECT_EQ(tick(events, 21 * S), "vnddvpnd: info: fake0 peer site-b: responding again\n");
    p.m.path_black_holes = 1;
    p.m.path_mtu = 1280;
    EXPECT_EQ(tick(events, 22 * S), "vnddvpnd: warning: fake0 peer site-b: the path stopped carrying 1400-byte packets: "
                                   "path MTU back to 1280, probing again\n");
}

void handshakes_path_and_drops_with_verbose() {
    OnePeer p(LogLevel::Debug);
    PeerEventLog events(p.d, p.log, 1 * S);
    p.m.handshakes.initiated = 1;
    EXPECT_EQ(tick(events, 2 * S), "vnddvpnd: debug: fake0 peer site-b: handshake started\n");
    p.m.handshakes.auth_failed = 3;
    EXPECT_EQ(tick(events, 3 * S), "vnddvpnd: debug: fake0 peer site-b: handshake failed: a message did not verify "
                                   "(a wrong password, or forged) (3 times)\n");
    p.m.handshakes.auth_failed = 10;
    EXPECT_EQ(tick(events, 4 * S), "") << "within the interval";
    EXPECT_EQ(tick(events, 12 * S), "");
    EXPECT_EQ(tick(events, 13 * S), "vnddvpnd: debug: fake0 peer site-b: handshake failed: a message did not verify "
                                    "(a wrong password, or forged) (7 times) in 10.0 s\n");
    p.m.state = PeerState::Up;
    p.m.handshakes.initiated = 2;
    p.m.handshakes.completed = 1;
    EXPECT_EQ(tick(events, 14 * S), "vnddvpnd: debug: fake0 peer site-b: handshake started\n"
                                    "vnddvpnd: info: fake0 peer site-b: up: handshake complete, session established\n");
    p.m.handshakes.completed = 2;
    p.m.path_mtu = 1452;
    EXPECT_EQ(tick(events, 15 * S), "vnddvpnd: debug: fake0 peer site-b: handshake complete, new session\n"
                                    "vnddvpnd: debug: fake0 peer site-b: path MTU now 1452 (was 0)\n");
    p.d.peer(0).stats().drop(DropReason::Replay, 2);
    p.m.reassembly_timed_out = 1;
    EXPECT_EQ(tick(events, 16 * S), "vnddvpnd: debug: fake0 peer site-b: dropped 2 (replay)\n"
                                    "vnddvpnd: debug: fake0 peer site-b: dropped 1 (reassembly-timeout)\n");
    p.d.peer(0).stats().drop(DropReason::Replay, 40);
    EXPECT_EQ(tick(events, 17 * S), "");
    EXPECT_EQ(tick(events, 27 * S), "vnddvpnd: debug: fake0 peer site-b: dropped 40 (replay) in 11.0 s\n");
}

// After a reset (a reload), what was counted before is not reported again.
void reset_forgets_what_was_counted() {
    OnePeer p(LogLevel::Debug);
    PeerEventLog events(p.d, p.log, 1 * S);
    p.d.peer(0).stats().drop(DropReason::Auth, 3);
    p.m.handshakes.unconfirmed = 2;
    events.reset(2 * S);
    EXPECT_EQ(tick(events, 3 * S), "");
    p.d.peer(0).stats().drop(DropReason::Auth, 1);
    EXPECT_EQ(tick(events, 4 * S), "vnddvpnd: debug: fake0 peer site-b: dropped 1 (auth)\n");
}

TEST(PeerEventLog, ResetForgetsWhatWasCounted) { RUN_IN_PRIVATE_NETNS(reset_forgets_what_was_counted); }
TEST(PeerEventLog, StateChangesAreLoggedWithoutVerbose) { RUN_IN_PRIVATE_NETNS(state_changes_without_verbose); }
TEST(PeerEventLog, VerboseAddsHandshakesPathAndRateLimitedDrops) {
    RUN_IN_PRIVATE_NETNS(handshakes_path_and_drops_with_verbose);
}

}  // namespace
