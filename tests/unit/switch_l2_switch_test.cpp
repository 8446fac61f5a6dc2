#include "common/switch/l2_switch.h"

#include <gtest/gtest.h>

#include <vector>

namespace tvpn {
namespace {

constexpr uint64_t kMs = 1000000ull;

std::vector<uint8_t> frame(uint8_t dst_last, uint8_t src_last, bool broadcast = false) {
    std::vector<uint8_t> f(60, 0);
    for (int i = 0; i < 6; ++i) f[i] = broadcast ? 0xff : 0;
    if (!broadcast) {
        f[0] = 0x02;
        f[5] = dst_last;
    }
    f[6] = 0x02;
    f[11] = src_last;
    return f;
}

L2Switch make(size_t ports, FloodLimits flood = {}) {
    MacTableLimits l;
    l.ports = ports;
    return L2Switch(l, flood, 42);
}

TEST(L2Switch, UnknownUnicastIsFloodedThenKnownGoesToItsPort) {
    auto sw = make(4);
    auto a_to_b = frame(0xb, 0xa), b_to_a = frame(0xa, 0xb);
    EXPECT_EQ(sw.forward(a_to_b, 1, true, 0).kind, SwitchVerdict::Kind::Flood);
    const auto r = sw.forward(b_to_a, 3, true, kMs);
    EXPECT_EQ(r.kind, SwitchVerdict::Kind::ToPort);
    EXPECT_EQ(r.port, 1);
    const auto again = sw.forward(a_to_b, 1, true, 2 * kMs);
    EXPECT_EQ(again.kind, SwitchVerdict::Kind::ToPort);
    EXPECT_EQ(again.port, 3);
}

TEST(L2Switch, BroadcastIsAlwaysFlooded) {
    auto sw = make(3);
    sw.forward(frame(0, 0xff - 1), 2, true, 0);
    EXPECT_EQ(sw.forward(frame(0, 0xa, true), 1, true, kMs).kind, SwitchVerdict::Kind::Flood);
}

TEST(L2Switch, UnvouchedFramesTeachNothing) {
    auto sw = make(3);
    sw.forward(frame(0xb, 0xa), 1, false, 0);
    EXPECT_EQ(sw.forward(frame(0xa, 0xb), 2, true, kMs).kind, SwitchVerdict::Kind::Flood);
}

TEST(L2Switch, FrameForTheSideItCameFromIsDropped) {
    auto sw = make(3);
    sw.forward(frame(0xb, 0xa), 1, true, 0);
    const auto r = sw.forward(frame(0xa, 0xc), 1, true, kMs);
    EXPECT_EQ(r.kind, SwitchVerdict::Kind::Drop);
    EXPECT_EQ(r.why, SwitchVerdict::Why::SamePort);
    EXPECT_EQ(sw.stats(1).same_port, 1u);
}

TEST(L2Switch, RuntsAndUnknownPortsAreDropped) {
    auto sw = make(2);
    std::vector<uint8_t> runt(11, 0);
    EXPECT_EQ(sw.forward(runt, 1, true, 0).why, SwitchVerdict::Why::Runt);
    EXPECT_EQ(sw.forward(frame(1, 2), 7, true, 0).why, SwitchVerdict::Why::Runt);
}

TEST(L2Switch, BroadcastStormFromOnePortDoesNotStarveAnother) {
    auto sw = make(3, FloodLimits{200, 20});  // 2 copies a flood: 100 floods a second, 10 at once
    size_t storm_passed = 0, other_passed = 0;
    for (uint64_t t = 0; t < 1000; ++t) {  // one second: 1000 broadcasts from port 1, 10 from port 2
        if (sw.forward(frame(0, 0xa, true), 1, true, t * kMs).kind == SwitchVerdict::Kind::Flood) ++storm_passed;
        if (t % 100 == 0 && sw.forward(frame(0, 0xb, true), 2, true, t * kMs).kind == SwitchVerdict::Kind::Flood)
            ++other_passed;
    }
    EXPECT_LE(storm_passed, 10u + 100u + 1u);
    EXPECT_GE(storm_passed, 100u);
    EXPECT_EQ(other_passed, 10u);
    EXPECT_GT(sw.stats(1).flood_limited, 800u);
    EXPECT_EQ(sw.stats(2).flood_limited, 0u);
}

TEST(L2Switch, StationMovingBetweenPortsIsFollowed) {
    auto sw = make(4);
    sw.forward(frame(0xb, 0xa), 1, true, 0);
    sw.forward(frame(0xb, 0xa), 2, true, kMs);  // 0xa moved behind port 2
    const auto r = sw.forward(frame(0xa, 0xb), 3, true, 2 * kMs);
    EXPECT_EQ(r.port, 2);
    EXPECT_EQ(sw.stats(2).moved_in, 1u);
}

}  // namespace
}  // namespace tvpn
