// The -pwd timer policy: a handshake at start, retransmission with growing,
// jittered intervals, rekey times by role, keepalives, a lost peer.
#include "common/pwd/secure_timers.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/pwd/secure_wire.h"

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

// When the rekey of a session with this rekey time and these facts is due, after the session.
uint64_t rekey_delay(bool initiated, bool peer_first) {
    SecureTimers t(10 * kSecond, 1);
    uint64_t now = 1000 * kSecond;
    t.due(now, {});  // the start-up handshake
    t.handshake_initiated(now);
    t.session_ready(now);
    SessionFacts f{true, initiated, now, 0};
    f.current_peer_first = peer_first;
    for (int i = 1; i < 300; ++i) {
        const uint64_t at = now + static_cast<uint64_t>(i) * kSecond / 10;
        t.authenticated_received(at);
        if (t.due(at, f).send_init) return at - now;
    }
    return 0;
}

// The initiator of the session rekeys first, the responder 5 s later; two
// responders (both initiated at once) are told apart by their instances: the
// lower one waits 5 s more, so the other rekeys first and becomes the initiator.
TEST(SecureTimers, InitiatorRekeysFirstResponderLater) {
    EXPECT_EQ(rekey_delay(true, false), 10 * kSecond);
    EXPECT_EQ(rekey_delay(true, true), 10 * kSecond);
    EXPECT_EQ(rekey_delay(false, false), 10 * kSecond + kRekeyTimeout);
    EXPECT_EQ(rekey_delay(false, true), 10 * kSecond + 2 * kRekeyTimeout);
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
