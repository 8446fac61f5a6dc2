// The replay window, case by case in the style of WireGuard's selftest/counter.c
// (numbered cases, then sweeps over the whole window), and against a model.
#include "common/crypto/replay_window.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace tvpn::crypto {
namespace {

constexpr uint64_t W = ReplayWindow::kWindowSize;
constexpr uint64_t kLimit = UINT64_MAX - (1u << 13);  // the protocol's reject-after-messages

class Counter {
public:
    // Check then commit, as the receive path does after authentication.
    bool operator()(uint64_t n) { return w_.check(n) && w_.commit(n); }
    void reset() { w_.reset(); }

private:
    ReplayWindow w_{kLimit};
};

TEST(ReplayWindow, NumberedCases) {
    Counter t;
    const uint64_t lim = W + 1;
    struct Case {
        uint64_t n;
        bool ok;
    } cases[] = {
        /*  1 */ {0, true},
        /*  2 */ {1, true},
        /*  3 */ {1, false},
        /*  4 */ {9, true},
        /*  5 */ {8, true},
        /*  6 */ {7, true},
        /*  7 */ {7, false},
        /*  8 */ {lim, true},
        /*  9 */ {lim - 1, true},
        /* 10 */ {lim - 1, false},
        /* 11 */ {lim - 2, true},
        /* 12 */ {2, true},
        /* 13 */ {2, false},
        /* 14 */ {lim + 16, true},
        /* 15 */ {3, false},
        /* 16 */ {lim + 16, false},
        /* 17 */ {lim * 4, true},
        /* 18 */ {lim * 4 - (lim - 1), true},
        /* 19 */ {10, false},
        /* 20 */ {lim * 4 - lim, false},
        /* 21 */ {lim * 4 - (lim + 1), false},
        /* 22 */ {lim * 4 - (lim - 2), true},
        /* 23 */ {lim * 4 + 1 - lim, false},
        /* 24 */ {0, false},
        /* 25 */ {kLimit, false},
        /* 26 */ {kLimit - 1, true},
        /* 27 */ {kLimit, false},
        /* 28 */ {kLimit - 1, false},
        /* 29 */ {kLimit - 2, true},
        /* 30 */ {kLimit + 1, false},
        /* 31 */ {kLimit + 2, false},
        /* 32 */ {kLimit - 2, false},
        /* 33 */ {kLimit - 3, true},
        /* 34 */ {0, false},
    };
    int number = 0;
    for (const Case& c : cases) {
        ++number;
        EXPECT_EQ(t(c.n), c.ok) << "case " << number << ": counter " << c.n;
    }
}

TEST(ReplayWindow, SweepsOverTheWholeWindow) {
    Counter t;
    for (uint64_t i = 1; i <= W; ++i) ASSERT_TRUE(t(i)) << i;
    EXPECT_TRUE(t(0));   // exactly W behind the newest: still inside
    EXPECT_FALSE(t(0));

    t.reset();
    for (uint64_t i = 2; i <= W + 1; ++i) ASSERT_TRUE(t(i)) << i;
    EXPECT_TRUE(t(1));
    EXPECT_FALSE(t(0));  // W + 1 behind: outside

    t.reset();
    for (uint64_t i = W + 1; i-- > 0;) ASSERT_TRUE(t(i)) << i;  // newest first, then backwards

    t.reset();
    for (uint64_t i = W + 2; i-- > 1;) ASSERT_TRUE(t(i)) << i;
    EXPECT_FALSE(t(0));

    t.reset();
    for (uint64_t i = W + 1; i-- > 1;) ASSERT_TRUE(t(i)) << i;
    EXPECT_TRUE(t(W + 1));
    EXPECT_FALSE(t(0));

    t.reset();
    for (uint64_t i = W + 1; i-- > 1;) ASSERT_TRUE(t(i)) << i;
    EXPECT_TRUE(t(0));
    EXPECT_TRUE(t(W + 1));
}

TEST(ReplayWindow, CheckDoesNotChangeState) {
    ReplayWindow w;
    EXPECT_TRUE(w.check(5));
    EXPECT_TRUE(w.check(5));
    EXPECT_TRUE(w.commit(5));
    EXPECT_FALSE(w.check(5));
    EXPECT_FALSE(w.commit(5));
    EXPECT_EQ(w.newest(), 5u);
}

TEST(ReplayWindow, LargeJumpsClearTheWholeRing) {
    Counter t;
    for (uint64_t i = 0; i < 300; ++i) ASSERT_TRUE(t(i));
    ASSERT_TRUE(t(1000000));
    for (uint64_t i = 1000000 - W; i < 1000000; ++i) ASSERT_TRUE(t(i)) << i;  // none looks seen
    EXPECT_FALSE(t(1000000 - W - 1));
}

TEST(ReplayWindow, MatchesAModelOnRandomReordering) {
    std::mt19937_64 rng(42);
    ReplayWindow w;
    std::set<uint64_t> seen;
    uint64_t newest = 0;
    bool any = false;
    for (int step = 0; step < 200000; ++step) {
        // Mostly forward with jitter, sometimes far back, sometimes a jump ahead.
        uint64_t base = any ? newest : 0;
        uint64_t n;
        switch (rng() % 8) {
            case 0: n = base + rng() % 20000; break;
            case 1: n = base > 9000 ? base - rng() % 9000 : rng() % 9000; break;
            default: n = base + 3 - std::min<uint64_t>(base + 3, rng() % 40); break;
        }
        bool expect = !seen.count(n) && (!any || n > newest || newest - n <= W);
        bool got = w.check(n) && w.commit(n);
        ASSERT_EQ(got, expect) << "step " << step << " counter " << n << " newest " << newest;
        if (expect) {
            seen.insert(n);
            if (!any || n > newest) newest = n;
            any = true;
        }
    }
}

}  // namespace
}  // namespace tvpn::crypto
