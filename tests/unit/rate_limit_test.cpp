#include <gtest/gtest.h>

#include "common/log.h"

using tvpn::RateLimit;

TEST(RateLimit, AllowsABurstThenOnePerInterval) {
    RateLimit rl(1000, 3);
    EXPECT_TRUE(rl.allow(10));
    EXPECT_TRUE(rl.allow(10));
    EXPECT_TRUE(rl.allow(10));
    EXPECT_FALSE(rl.allow(10));
    EXPECT_FALSE(rl.allow(900));
    EXPECT_TRUE(rl.allow(1010));
    EXPECT_FALSE(rl.allow(1500));
}

TEST(RateLimit, RefillsNoMoreThanTheBurst) {
    RateLimit rl(1000, 2);
    EXPECT_TRUE(rl.allow(0));
    EXPECT_TRUE(rl.allow(0));
    EXPECT_TRUE(rl.allow(1000000));
    EXPECT_TRUE(rl.allow(1000000));
    EXPECT_FALSE(rl.allow(1000000));
}
