#include "common/pwd/path_mtu.h"

#include <gtest/gtest.h>

namespace tvpn {
namespace {

constexpr uint64_t kSec = 1'000'000'000, kTick = kSec / 10;

// A path that carries datagrams up to `mtu` and acknowledges after `rtt`.
struct FakePath {
    uint32_t mtu;
    uint64_t rtt = kSec / 100;
    uint64_t ack_at = 0;
    uint32_t ack_size = 0;
};

// Runs the prober against the path for `duration`, a tick at a time.
void run(PathMtu& p, FakePath& path, uint64_t& now, uint64_t duration) {
    for (const uint64_t end = now + duration; now < end; now += kTick) {
        if (path.ack_size && now >= path.ack_at) {
            p.acknowledged(path.ack_size, now);
            path.ack_size = 0;
        }
        p.tick(now);
        if (auto size = p.probe_due(now)) {
            p.probe_sent(*size, now);
            if (*size <= path.mtu) path.ack_at = now + path.rtt, path.ack_size = *size;
        }
    }
}

TEST(PathMtu, StartsAtTheBaseUntilAProbeConfirmsMore) {
    PathMtu p(1574);
    EXPECT_EQ(p.current(), PathMtu::kBase);
    EXPECT_EQ(p.state(), PathMtu::State::Base);
    EXPECT_EQ(p.probe_due(0), PathMtu::kBase);
}

TEST(PathMtu, PathThatCarriesEverythingIsSettledByOneProbeAboveTheBase) {
    PathMtu p(1574);
    FakePath path{1500 + 74};
    uint64_t now = 0;
    run(p, path, now, kSec);
    EXPECT_EQ(p.current(), 1574u);
    EXPECT_EQ(p.state(), PathMtu::State::Complete);
    EXPECT_EQ(p.probes_sent(), 2u);
}

TEST(PathMtu, SmallerPathIsFoundWithinTheGranularity) {
    for (uint32_t mtu : {1280u, 1300u, 1420u, 1499u, 1500u}) {
        PathMtu p(1574);
        FakePath path{mtu};
        uint64_t now = 0;
        run(p, path, now, 60 * kSec);
        EXPECT_EQ(p.state(), PathMtu::State::Complete) << mtu;
        EXPECT_LE(p.current(), mtu);
        EXPECT_GT(p.current() + PathMtu::kGranularity, mtu) << mtu;
    }
}

TEST(PathMtu, NeverUsesASizeThatWasNotAcknowledged) {
    PathMtu p(9000);
    FakePath path{1400};
    uint64_t now = 0;
    for (int i = 0; i < 600; ++i) {
        run(p, path, now, kTick);
        ASSERT_LE(p.current(), 1400u);
    }
}

TEST(PathMtu, ShrunkPathIsNoticedAndSearchedAgain) {
    PathMtu p(1574);
    FakePath path{1574};
    uint64_t now = 0;
    run(p, path, now, 2 * kSec);
    ASSERT_EQ(p.current(), 1574u);
    path.mtu = 1300;  // a router's link shrank; its ICMP is filtered
    run(p, path, now, PathMtu::kConfirmInterval + PathMtu::kMaxProbes * PathMtu::kProbeTimeout + 2 * kSec);
    EXPECT_EQ(p.black_holes(), 1u);
    EXPECT_LE(p.current(), 1300u);
    run(p, path, now, 60 * kSec);
    EXPECT_EQ(p.state(), PathMtu::State::Complete);
    EXPECT_GT(p.current() + PathMtu::kGranularity, 1300u);
    EXPECT_LE(p.current(), 1300u);
}

TEST(PathMtu, GrownPathIsFoundAtTheRaiseInterval) {
    PathMtu p(1574);
    FakePath path{1400};
    uint64_t now = 0;
    run(p, path, now, 60 * kSec);
    ASSERT_LE(p.current(), 1400u);
    path.mtu = 1574;
    run(p, path, now, PathMtu::kRaiseInterval + 10 * kSec);
    EXPECT_EQ(p.current(), 1574u);
    EXPECT_EQ(p.black_holes(), 0u);
}

TEST(PathMtu, PathBelowTheBaseIsABlackHoleThatKeepsBeingRetried) {
    PathMtu p(1574);
    FakePath path{1000};
    uint64_t now = 0;
    run(p, path, now, 10 * kSec);
    EXPECT_EQ(p.state(), PathMtu::State::BlackHole);
    EXPECT_EQ(p.current(), PathMtu::kBase);
    const uint64_t before = p.probes_sent();
    path.mtu = 1574;
    run(p, path, now, PathMtu::kConfirmInterval + 2 * kSec);
    EXPECT_GT(p.probes_sent(), before);
    EXPECT_EQ(p.current(), 1574u);
}

TEST(PathMtu, LateOrForeignAcknowledgementsChangeNothing) {
    PathMtu p(1574);
    p.acknowledged(1574, 0);  // nothing outstanding
    EXPECT_EQ(p.current(), PathMtu::kBase);
    auto size = p.probe_due(0);
    p.probe_sent(*size, 0);
    p.acknowledged(1574, 1);  // not the size probed
    EXPECT_EQ(p.current(), PathMtu::kBase);
}

TEST(PathMtu, LowerLinkMtuRestartsTheSearchBelowIt) {
    PathMtu p(1574);
    FakePath path{1574};
    uint64_t now = 0;
    run(p, path, now, 2 * kSec);
    p.set_max(1400, now);
    EXPECT_EQ(p.current(), 1400u);
    EXPECT_EQ(p.state(), PathMtu::State::Complete);
    p.set_max(9000, now);
    run(p, path, now, 30 * kSec);
    EXPECT_GT(p.current() + PathMtu::kGranularity, 1574u);
}

}  // namespace
}  // namespace tvpn
