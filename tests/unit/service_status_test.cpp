// The STATUS= line systemd shows: peers, how many respond, traffic in
// human units; a change of state (not of traffic) is worth telling at once.
#include "vnddvpnd/service_status.h"

#include <gtest/gtest.h>

using namespace tvpn;

TEST(ServiceStatus, SummaryLine) {
    ServiceSummary s{3, 2, 1, 1536, 20480};
    EXPECT_EQ(summary_line(s), "3 peers: 2 up, 1 not responding; in 1.5 KiB, out 20.0 KiB");
    EXPECT_EQ(summary_line(ServiceSummary{1, 1, 0, 0, 0}), "1 peer: 1 up, 0 not responding; in 0 B, out 0 B");
}

TEST(ServiceStatus, OnlyPeerStatesMakeAChange) {
    const ServiceSummary a{3, 2, 1, 100, 100};
    EXPECT_TRUE(a.same_state(ServiceSummary{3, 2, 1, 999, 999}));
    EXPECT_FALSE(a.same_state(ServiceSummary{3, 3, 0, 100, 100}));
    EXPECT_FALSE(a.same_state(ServiceSummary{4, 2, 1, 100, 100}));
}
