// The -pwd timer policy: a handshake at start, retransmission with growing,
// jittered intervals, rekey times by role, keepalives, a lost peer.
#include "common/secure_timers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "common/secure_wire.h"

namespace tvpn {
namespace {

using namespace wire;

TEST(SecureTimers, HandshakeAtStartThenBackoffWithJitter) {
    SecureTimers t(kRekeyAfterTime, 12345);
    SessionFacts none;
    uint64_t now = 50 * kSecond;
    ASSERT_TRUE(t.due(now, none).send_init);
    std::vector<uint64_t> sends{now};
    t.handshake_initiated(now);
    for (uint64_t step = 0; step < 120 * 10; ++step) {  // two minutes of ticks, nobody answers
        now += kSecond / 10;
        if (t.due(now, none).send_init) {
            sends.push_back(now);
            t.handshake_initiated(now);
        }
    }
    ASSERT_GE(sends.size(), 6u);
    for (size_t i = 1; i < sends.size(); ++i) {
        const uint64_t gap = sends[i] - sends[i - 1];
        uint64_t base = kRetryFirst << std::min<size_t>(i - 1, 5);
        if (base > kRetryMax) base = kRetryMax;
        EXPECT_GE(gap, base) << i;
        EXPECT_LE(gap, base + base / 4 + kSecond / 10) << i;
    }
}

TEST(SecureTimers, InitiatorRekeysFirstResponderLater) {
    for (bool initiated : {true, false}) {
        SecureTimers t(10 * kSecond, 1);
        uint64_t now = 1000 * kSecond;
        t.due(now, {});  // the start-up handshake
        t.handshake_initiated(now);
        t.session_ready(now);
        SessionFacts f{true, initiated, now, 0};
        uint64_t rekey_at = 0;
        for (int i = 1; i < 300 && !rekey_at; ++i) {
            const uint64_t at = now + static_cast<uint64_t>(i) * kSecond / 10;
            t.authenticated_received(at);
            if (t.due(at, f).send_init) rekey_at = at - now;
        }
        if (initiated) {
            EXPECT_EQ(rekey_at, 10 * kSecond);
        } else {  // 5 to 10 s later, at random
            EXPECT_GE(rekey_at, 10 * kSecond + kRekeyTimeout);
            EXPECT_LT(rekey_at, 10 * kSecond + 2 * kRekeyTimeout);
        }
    }
}

// Two ends that each installed the other's session last (both initiated at
// once) are both responders: they must not keep rekeying at the same moment.
TEST(SecureTimers, ResponderWaitIsDrawnPerSession) {
    std::vector<uint64_t> waits;
    SecureTimers t(10 * kSecond, 99);
    for (int round = 0; round < 8; ++round) {
        uint64_t now = 1000 * kSecond * static_cast<uint64_t>(round + 1);
        t.due(now, {});
        t.handshake_initiated(now);
        t.session_ready(now);
        SessionFacts f{true, false, now, 0};
        for (int i = 1; i < 300; ++i) {
            const uint64_t at = now + static_cast<uint64_t>(i) * kSecond / 10;
            t.authenticated_received(at);
            if (t.due(at, f).send_init) {
                waits.push_back(at - now);
                break;
            }
        }
    }
    ASSERT_EQ(waits.size(), 8u);
    std::sort(waits.begin(), waits.end());
    EXPECT_GT(waits.back() - waits.front(), kSecond);
}

TEST(SecureTimers, KeepaliveAfterSilenceAndPeerLost) {
    SecureTimers t(kRekeyAfterTime, 1);
    uint64_t now = 1000 * kSecond;
    t.due(now, {});
    t.handshake_initiated(now);
    t.session_ready(now);
    SessionFacts f{true, true, now, 0};
    t.data_sent(now);
    EXPECT_FALSE(t.due(now + kKeepalive - 1, f).send_keepalive);
    EXPECT_TRUE(t.due(now + kKeepalive, f).send_keepalive);
    bool lost = false;
    for (uint64_t s = 0; s < 60 && !lost; ++s) lost = t.due(now + s * kSecond, f).peer_lost;
    EXPECT_TRUE(lost);
    EXPECT_TRUE(t.peer_lost());
    t.authenticated_received(now + 61 * kSecond);
    EXPECT_FALSE(t.peer_lost());
}

TEST(SecureTimers, UnacknowledgedConfirmationIsResentThenGivenUp) {
    SecureTimers t(kRekeyAfterTime, 1);
    uint64_t now = 1000 * kSecond;
    t.due(now, {});
    t.confirm_sent(now);
    int resent = 0;
    bool gave_up = false;
    for (int i = 1; i <= 80 && !gave_up; ++i) {
        TimerActions a = t.due(now + static_cast<uint64_t>(i) * kSecond / 10, {});
        resent += a.resend_confirm;
        gave_up = a.drop_unconfirmed;
    }
    EXPECT_TRUE(gave_up);
    EXPECT_EQ(resent, 4);  // at 1, 2, 3 and 4 s; given up at 5 s
}

}  // namespace
}  // namespace tvpn
