// The handshake rate limiter: a burst per source then its rate, a total for
// all sources, and a table that never grows.
#include "common/pwd/handshake_ratelimiter.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

namespace tvpn {
namespace {

sockaddr_storage v4(uint32_t addr) {
    sockaddr_storage ss{};
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(addr);
    return ss;
}

constexpr uint64_t S = 1000000000ull;

TEST(HandshakeRateLimiter, BurstThenRatePerSource) {
    HandshakeRateLimiter l;
    auto a = v4(0x0a000001);
    uint64_t now = 100 * S;
    int allowed = 0;
    for (int i = 0; i < 100; ++i) allowed += l.allow(a, now);
    EXPECT_EQ(allowed, static_cast<int>(HandshakeRateLimiter::kPerSourceBurst));
    allowed = 0;
    for (int i = 0; i < 1000; ++i) allowed += l.allow(a, now + static_cast<uint64_t>(i) * S / 1000);  // one second
    EXPECT_NEAR(allowed, static_cast<int>(HandshakeRateLimiter::kPerSourcePerSecond), 1);
}

TEST(HandshakeRateLimiter, TotalLimitAcrossManySources) {
    HandshakeRateLimiter l;
    uint64_t now = 100 * S;
    int allowed = 0;
    for (uint32_t i = 0; i < 10000; ++i) allowed += l.allow(v4(0x0b000000 + i), now + i * (S / 10000));
    // One second of a spoofed flood from 10000 addresses: the total's burst plus its rate.
    EXPECT_LE(allowed, static_cast<int>(HandshakeRateLimiter::kTotalBurst + HandshakeRateLimiter::kTotalPerSecond + 1));
    EXPECT_GE(allowed, static_cast<int>(HandshakeRateLimiter::kTotalPerSecond));
}

TEST(HandshakeRateLimiter, SourcesAreSeparate) {
    HandshakeRateLimiter l;
    uint64_t now = 100 * S;
    for (int i = 0; i < 50; ++i) l.allow(v4(1), now);
    EXPECT_FALSE(l.allow(v4(1), now));
    EXPECT_TRUE(l.allow(v4(2), now));
}

TEST(TokenBucket, RefillsUpToTheBurst) {
    TokenBucket b(10, 2);
    EXPECT_TRUE(b.allow(0));
    EXPECT_TRUE(b.allow(0));
    EXPECT_FALSE(b.allow(0));
    EXPECT_TRUE(b.allow(S / 10));
    EXPECT_FALSE(b.allow(S / 10));
    EXPECT_TRUE(b.allow(100 * S));
    EXPECT_TRUE(b.allow(100 * S));
    EXPECT_FALSE(b.allow(100 * S));
}

}  // namespace
}  // namespace tvpn
