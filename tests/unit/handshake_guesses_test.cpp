// The guess budget: a burst, then one guess per interval, the interval
// doubling with each failed run up to the cap and back to the first after a
// confirmed one; and the yearly bound wire::kMaxGuessesPerYear rests on,
// against a simulated attacker that always has runs pending.
#include "common/pwd/handshake_guesses.h"

#include <gtest/gtest.h>

#include <deque>

#include "common/pwd/secure_wire.h"

namespace tvpn {
namespace {

using namespace wire;
constexpr uint64_t S = kSecond;

GuessBudget budget() { return GuessBudget(kGuessBurst, kGuessInterval, kGuessIntervalMax); }

TEST(GuessBudget, IntervalDoublesWithEachFailureUpToTheCapAndAConfirmedRunResetsIt) {
    auto g = budget();
    uint64_t now = 1000 * S;
    EXPECT_EQ(g.interval(), kGuessInterval);
    const uint64_t expect[] = {20, 40, 80, 160, 320, 600, 600, 600};
    for (uint64_t e : expect) {
        g.failed(now);
        EXPECT_EQ(g.interval(), e * S);
    }
    EXPECT_EQ(g.failures(), kGuessBackoffSteps);  // no further once at the cap
    g.refund();  // a run that did no work changes nothing
    EXPECT_EQ(g.interval(), kGuessIntervalMax);
    g.confirmed(now);
    EXPECT_EQ(g.interval(), kGuessInterval);
    EXPECT_EQ(g.failures(), 0u);
}

TEST(GuessBudget, BurstThenTheNextTokenOneDoubledIntervalAfterTheLastFailure) {
    auto g = budget();
    uint64_t now = 1000 * S;
    EXPECT_TRUE(g.full(now));
    for (uint64_t i = 0; i < kGuessBurst; ++i) EXPECT_TRUE(g.take(now));
    EXPECT_FALSE(g.take(now));
    EXPECT_FALSE(g.full(now));
    g.failed(now);  // one failure: 20 s
    EXPECT_FALSE(g.take(now + 20 * S - 1));
    EXPECT_TRUE(g.take(now + 20 * S));
    now += 20 * S;
    g.failed(now);  // two: 40 s
    EXPECT_FALSE(g.take(now + 40 * S - 1));
    EXPECT_TRUE(g.take(now + 40 * S));
    // A confirmed run gives its token back and the next comes after 10 s again.
    now += 40 * S;
    g.confirmed(now);
    EXPECT_TRUE(g.take(now));
    EXPECT_FALSE(g.take(now));
    EXPECT_TRUE(g.take(now + 10 * S));
}

TEST(GuessBudget, RefundsNeverGoAboveTheBurst) {
    auto g = budget();
    EXPECT_TRUE(g.take(0));
    for (int i = 0; i < 10; ++i) g.refund();
    for (uint64_t i = 0; i < kGuessBurst; ++i) EXPECT_TRUE(g.take(0));
    EXPECT_FALSE(g.take(0));
}

// An attacker that takes every token the moment it comes and keeps up to
// kPendingAnswers runs pending, each failing only after kRekeyTimeout (as an
// unconfirmed answer does): over 30 simulated days it gets no more than the
// bound in secure_wire.h allows for that time, and still a guess per cap
// interval (the budget backs off, it never locks the peer out for good).
TEST(GuessBudget, AnAttackerAtFullSpeedStaysWithinTheDocumentedBound) {
    auto g = budget();
    const uint64_t start = 1000 * S, days = 30, span = days * 24 * 3600 * S;
    std::deque<uint64_t> pending;  // when each run fails
    uint64_t guesses = 0, last_day = 0;
    for (uint64_t now = start; now < start + span; now += S) {
        while (!pending.empty() && pending.front() <= now) {
            g.failed(now);
            pending.pop_front();
        }
        while (pending.size() < kPendingAnswers && g.take(now)) {
            ++guesses;
            if (now >= start + span - 24 * 3600 * S) ++last_day;
            pending.push_back(now + kRekeyTimeout);
        }
    }
    EXPECT_LE(guesses, kGuessRamp + 1 + span / kGuessIntervalMax);
    // The interval counts from each failure, which comes kRekeyTimeout after its guess.
    const uint64_t period = kGuessIntervalMax + kRekeyTimeout;
    EXPECT_GE(guesses, span / period);
    EXPECT_GE(last_day, 24 * 3600 * S / period);  // about one per cap interval in the end
    EXPECT_LE(last_day, 24 * 3600 * S / kGuessIntervalMax + 1);
    EXPECT_EQ(kMaxGuessesPerYear, 2 * (kGuessRamp + 1 + kYear / kGuessIntervalMax));
}

}  // namespace
}  // namespace tvpn
