// The daemon's reports (vnddvpnd/stats_collect) follow its datapath's
// counters, and its control commands answer "stats" and "status" for one
// interface or all. Two clear datapaths over loopback in a private network
// namespace (nothing leaves the test).
#include "vnddvpnd/stats_collect.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "tests/unit/datapath_fakes.h"
#include "vnddvpnd/control_commands.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

void reports_follow_the_counters() {
    TwoDatapaths p(false, false);
    p.a.set_mtu(0, 1400);
    for (uint8_t i = 0; i < 3; ++i) p.dev_a->rx.push_back({test_frame(100, i), {}});
    p.dev_a->rx.push_back({test_frame(1500, 9), {}});  // over a's MTU: dropped
    p.a.on_device_readable(0);
    p.b.on_socket_readable(0);
    const uint64_t now = monotonic_ns();

    auto a = collect_stats(p.a, now);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].name, "fake0");
    EXPECT_EQ(a[0].backend, "fake");
    EXPECT_EQ(a[0].mtu, 1400u);
    EXPECT_EQ(a[0].listen, std::vector<std::string>{"127.0.0.1:33000"});
    ASSERT_EQ(a[0].peers.size(), 1u);
    const PeerReport& pa = a[0].peers[0];
    EXPECT_EQ(pa.transmit_packets, 3u);
    EXPECT_EQ(pa.transmit_bytes, 300u);
    EXPECT_EQ(pa.drops[static_cast<size_t>(DropReason::TooBig)], 1u);
    EXPECT_EQ(pa.codec, "clear");
    EXPECT_EQ(pa.state, PeerState::Clear);
    EXPECT_EQ(pa.endpoint, "127.0.0.1:33001");
    EXPECT_FALSE(pa.last_receive_ms);
    EXPECT_FALSE(pa.last_handshake_ms);
    EXPECT_FALSE(pa.path_mtu);

    auto b = collect_stats(p.b, monotonic_ns(), "fake0");
    ASSERT_EQ(b.size(), 1u);
    const PeerReport& pb = b[0].peers[0];
    EXPECT_EQ(pb.receive_packets, 3u);
    EXPECT_EQ(pb.receive_bytes, 300u);
    ASSERT_TRUE(pb.last_receive_ms);
    EXPECT_LT(*pb.last_receive_ms, 10000u);
    EXPECT_TRUE(collect_stats(p.b, now, "vlan9").empty());
}

void commands_answer_for_one_interface_or_all() {
    TwoDatapaths p(false, false);
    const uint64_t now = monotonic_ns();
    EXPECT_EQ(answer_control(p.a, "stats", now).rfind("tvpn-stats 1\ninterface name=fake0 backend=fake mtu=1500 ", 0), 0u);
    EXPECT_EQ(answer_control(p.a, "stats fake0", now), answer_control(p.a, "stats", now));
    EXPECT_EQ(answer_control(p.a, "stats vlan9", now), "error: this vnddvpnd does not serve vlan9\n");
    EXPECT_EQ(answer_control(p.a, "status vlan9", now), "error: this vnddvpnd does not serve vlan9\n");
    EXPECT_EQ(answer_control(p.a, "status fake0", now).rfind("tunnel fake0: 127.0.0.1:33000 -> 127.0.0.1:33001", 0), 0u);
    EXPECT_EQ(answer_control(p.a, "statsfake0", now), "error: unknown command 'statsfake0' (known: status, stats)\n");
}

TEST(StatsCollect, ReportsFollowTheDatapathsCounters) { RUN_IN_PRIVATE_NETNS(reports_follow_the_counters); }
TEST(ControlCommands, AnswerStatsAndStatusForOneInterfaceOrAll) {
    RUN_IN_PRIVATE_NETNS(commands_answer_for_one_interface_or_all);
}

}  // namespace
