// Online guessing against a -pwd end, in process with a simulated clock
// (docs/PROTOCOL.md, "Guesses"): someone on the path plays initiator with a
// new password guess per Init, follows our cookies, and never confirms.
// Each failed guess is counted and logged in a form fail2ban matches; the
// guess interval doubles up to the cap; a handshake that had been charged as
// a guess and was confirmed resets it, a proven rekey does not.
#include <gtest/gtest.h>

#include "common/pwd/secure_codec.h"
#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

using namespace test;

// One guess: a fresh initiator with another password that follows cookie
// replies; returns whether `b` answered it. What `b` sends goes to the
// guesser; the guesser's output (its Init, the retry, answers to b's Inits) to `b`.
bool guess_once(End& b, uint8_t pw, uint64_t now) {
    End guesser(pw);
    guesser.codec->tick(now);
    bool answered = false;
    for (int round = 0; round < 4; ++round) {
        for (auto& d : guesser.out.q) b.receive(d, now);
        guesser.out.q.clear();
        for (auto& d : b.out.q) {
            answered |= type_of(d) == wire::MessageType::HandshakeResponse;
            guesser.receive(d, now);
        }
        b.out.q.clear();
    }
    return answered;
}

// b's failed guesses: answers never confirmed and responses that did not verify.
uint64_t failed_guesses(const End& b) { return b.codec->answers_unconfirmed() + b.dropped(DropReason::Auth); }

TEST(SecureCodecGuessing, GuessesSlowDownToOnePerCapIntervalAndEachFailureIsLogged) {
    testing::internal::CaptureStderr();
    End b(1, wire::kRekeyAfterTime, Logger::Sink::Stderr);
    uint64_t now = 5 * S;
    const uint64_t hours = 2;
    std::vector<uint64_t> answered_at;
    for (uint64_t t = 0; t < hours * 3600; ++t, now += S) {  // a guess a second
        if (guess_once(b, static_cast<uint8_t>(2 + t % 200), now)) answered_at.push_back(now);
        b.codec->tick(now);
    }
    const std::string err = testing::internal::GetCapturedStderr();
    // In all: at most the ramp, then one per cap interval (b's own Inits,
    // answered by the guessers and checked by b, are guesses too).
    EXPECT_LE(failed_guesses(b), wire::kGuessRamp + 1 + hours * 3600 * S / wire::kGuessIntervalMax);
    ASSERT_GE(answered_at.size(), 6u);
    // The gaps between answers grow, and in the end are about the cap: never
    // a lockout for good, never faster.
    EXPECT_GE(answered_at.back() - answered_at[answered_at.size() - 2], wire::kGuessIntervalMax);
    EXPECT_LE(answered_at.back() - answered_at[answered_at.size() - 2], wire::kGuessIntervalMax + 20 * S);
    uint64_t last_hour = 0;
    for (uint64_t at : answered_at) last_hour += at + 3600 * S > now;
    EXPECT_GE(last_hour, 3600 * S / (wire::kGuessIntervalMax + 20 * S));
    EXPECT_LE(last_hour, 3600 * S / wire::kGuessIntervalMax + 1);
    EXPECT_EQ(b.codec->guess_interval(), wire::kGuessIntervalMax);
    EXPECT_NE(b.codec->status(now).find("guess-interval=600s"), std::string::npos) << b.codec->status(now);
    // One line per failed guess, with its source, nothing dropped from them.
    const std::string line = "tvpn: authentication failed from 198.51.100.2 port 4000 on test tunnel: ";
    EXPECT_EQ(lines_with(err, line), failed_guesses(b)) << err;
    EXPECT_NE(err.find("guesses now one per 600 s"), std::string::npos) << err;
    EXPECT_NE(err.find("someone guessing the password?"), std::string::npos) << err;
}

// After the guessing stops, the real peer (restarted: it proves nothing) gets
// in within one cap interval, and its confirmed handshake (charged as a
// guess) resets the backoff.
TEST(SecureCodecGuessing, AConfirmedHandshakeResetsTheBackoff) {
    End b(1);
    uint64_t now = 5 * S;
    for (uint64_t t = 0; t < 1800; ++t, now += S) {
        guess_once(b, static_cast<uint8_t>(2 + t % 200), now);
        b.codec->tick(now);
    }
    ASSERT_EQ(b.codec->guess_interval(), wire::kGuessIntervalMax);
    End a(1);
    const uint64_t stop = now;
    while (!(a.codec->has_session(now) && b.codec->has_session(now)) && now < stop + wire::kGuessIntervalMax + 30 * S) {
        now += kTick;
        a.codec->tick(now);
        b.codec->tick(now);
        pump(a, b, now);
    }
    EXPECT_TRUE(a.codec->has_session(now)) << b.codec->status(now);
    EXPECT_EQ(b.codec->guess_interval(), wire::kGuessInterval) << b.codec->status(now);
}

// Guessing against `b` while it carries a session with `a` that rekeys
// every 2 s: the rekeys are proven (not guesses), so they neither wait for
// the guess budget nor reset its backoff.
TEST(SecureCodecGuessing, ProvenRekeysDoNotResetTheBackoff) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    const uint64_t before = b.codec->sessions_established();
    uint32_t sent = 0;
    for (int t = 0; t < 1200 * 10; ++t) {  // 20 minutes
        now += kTick;
        a.codec->tick(now);
        b.codec->tick(now);
        pump(a, b, now);
        if (t % 10 == 0) {
            guess_once(b, static_cast<uint8_t>(2 + t % 200), now);
            a.send(frame(sent++), now);
            pump(a, b, now);
        }
    }
    EXPECT_EQ(b.frames.size(), sent);
    EXPECT_GE(b.codec->sessions_established() - before, 1200u / 2 * 9 / 10) << b.codec->status(now);
    EXPECT_GE(failed_guesses(b), wire::kGuessBackoffSteps);
    EXPECT_EQ(b.codec->guess_interval(), wire::kGuessIntervalMax) << b.codec->status(now);
}

}  // namespace
}  // namespace tvpn
