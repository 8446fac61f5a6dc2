#include "common/switch/mac_table.h"

#include <gtest/gtest.h>

#include <array>

namespace tvpn {
namespace {

constexpr uint64_t kSec = 1000000000ull;

std::array<uint8_t, 6> mac(uint32_t n) { return {0x02, 0x00, uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)}; }

MacTableLimits limits(size_t ports, size_t capacity = 64, size_t share = 4) {
    MacTableLimits l;
    l.ports = ports;
    l.min_capacity = capacity;
    l.min_share = share;
    l.age_ns = 300 * kSec;
    return l;
}

TEST(MacTable, UnknownAddressHasNoPort) {
    MacTable t(limits(3), 1);
    EXPECT_EQ(t.lookup(mac(1).data(), 0), kNoPort);
}

TEST(MacTable, LearnedAddressIsFoundBehindItsPort) {
    MacTable t(limits(3), 1);
    EXPECT_EQ(t.learn(mac(1).data(), 2, 0), MacTable::Learned::Added);
    EXPECT_EQ(t.lookup(mac(1).data(), 1), 2);
    EXPECT_EQ(t.learn(mac(1).data(), 2, 5), MacTable::Learned::Refreshed);
    EXPECT_EQ(t.size(), 1u);
}

TEST(MacTable, AddressSeenBehindAnotherPortMovesAtOnce) {
    MacTable t(limits(3), 1);
    t.learn(mac(1).data(), 1, 0);
    EXPECT_EQ(t.learn(mac(1).data(), 2, 1), MacTable::Learned::Moved);
    EXPECT_EQ(t.lookup(mac(1).data(), 1), 2);
    EXPECT_EQ(t.port_entries(1), 0u);
    EXPECT_EQ(t.port_entries(2), 1u);
}

TEST(MacTable, GroupAndZeroAddressesAreNotLearned) {
    MacTable t(limits(2), 1);
    const std::array<uint8_t, 6> bcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, mcast{0x01, 0, 0x5e, 0, 0, 1}, zero{};
    EXPECT_EQ(t.learn(bcast.data(), 1, 0), MacTable::Learned::Refused);
    EXPECT_EQ(t.learn(mcast.data(), 1, 0), MacTable::Learned::Refused);
    EXPECT_EQ(t.learn(zero.data(), 1, 0), MacTable::Learned::Refused);
    EXPECT_EQ(t.learn(mac(1).data(), 9, 0), MacTable::Learned::Refused);  // no such port
    EXPECT_EQ(t.size(), 0u);
}

TEST(MacTable, EntriesAgeOut) {
    MacTable t(limits(2), 1);
    t.learn(mac(1).data(), 1, 0);
    t.learn(mac(2).data(), 1, 200 * kSec);
    EXPECT_EQ(t.lookup(mac(1).data(), 300 * kSec), 1);
    EXPECT_EQ(t.lookup(mac(1).data(), 301 * kSec), kNoPort);  // gone even before housekeeping
    EXPECT_EQ(t.expire(301 * kSec), 1u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.lookup(mac(2).data(), 301 * kSec), 1);
    EXPECT_EQ(t.expire(501 * kSec), 1u);
    EXPECT_EQ(t.size(), 0u);
}

TEST(MacTable, EveryPortGetsAnEqualShareOfTheCapacity) {
    MacTable t(limits(4, 64, 4), 1);
    EXPECT_EQ(t.share(), 16u);
    EXPECT_EQ(t.capacity(), 64u);
    MacTable big(limits(100, 64, 4), 1);  // more ports than the minimum capacity allows for
    EXPECT_EQ(big.share(), 4u);
    EXPECT_EQ(big.capacity(), 400u);
}

TEST(MacTable, FloodOfRandomSourcesRecyclesOnlyThatPortsEntries) {
    MacTable t(limits(4, 64, 4), 7);
    for (uint32_t i = 0; i < 10; ++i) t.learn(mac(0x800000 + i).data(), 2, 0);  // the victims
    for (uint32_t i = 0; i < 100000; ++i) {
        const auto r = t.learn(mac(i).data(), 1, 1 + i);
        ASSERT_NE(r, MacTable::Learned::Refused);
    }
    EXPECT_EQ(t.port_entries(1), t.share());
    for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(t.lookup(mac(0x800000 + i).data(), 100001), 2) << i;
    // The flooder keeps its most recent sources; its oldest were recycled.
    EXPECT_EQ(t.lookup(mac(99999).data(), 100001), 1);
    EXPECT_EQ(t.lookup(mac(0).data(), 100001), kNoPort);
    // The victims' port can still learn up to its share.
    for (uint32_t i = 0; i < t.share(); ++i) t.learn(mac(2000 + i).data(), 3, 100002);
    EXPECT_EQ(t.port_entries(3), t.share());
}

TEST(MacTable, MovingIntoAFullShareRecyclesThatPortsOldest) {
    MacTable t(limits(2, 8, 4), 1);  // share 4
    for (uint32_t i = 0; i < 4; ++i) t.learn(mac(i).data(), 1, i);
    t.learn(mac(9).data(), 0, 10);
    EXPECT_EQ(t.learn(mac(9).data(), 1, 11), MacTable::Learned::Moved);
    EXPECT_EQ(t.port_entries(1), 4u);
    EXPECT_EQ(t.lookup(mac(0).data(), 12), kNoPort);
    EXPECT_EQ(t.lookup(mac(9).data(), 12), 1);
}

TEST(MacTable, ForgettingAPortDropsAllItsEntries) {
    MacTable t(limits(3), 1);
    for (uint32_t i = 0; i < 5; ++i) t.learn(mac(i).data(), 1, 0);
    t.learn(mac(50).data(), 2, 0);
    t.forget_port(1);
    EXPECT_EQ(t.size(), 1u);
    for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(t.lookup(mac(i).data(), 0), kNoPort);
    EXPECT_EQ(t.lookup(mac(50).data(), 0), 2);
}

TEST(MacTable, ChurnKeepsTheTableConsistent) {
    MacTable t(limits(5, 32, 4), 3);
    uint32_t x = 1;
    for (uint64_t step = 0; step < 200000; ++step) {
        x = x * 1103515245 + 12345;
        const uint32_t m = (x >> 8) % 200;
        const PortId p = (x >> 20) % 5;
        if (step % 50021 == 0) t.forget_port(p);
        if (step % 997 == 0) t.expire(step * kSec / 1000);
        t.learn(mac(m).data(), p, step * kSec / 1000);
        ASSERT_EQ(t.lookup(mac(m).data(), step * kSec / 1000), p);
    }
    size_t sum = 0;
    for (PortId p = 0; p < 5; ++p) {
        EXPECT_LE(t.port_entries(p), t.share());
        size_t n = 0;
        t.for_each(p, 200 * kSec, [&](const uint8_t*, uint64_t) { ++n; });
        EXPECT_EQ(n, t.port_entries(p));
        sum += n;
    }
    EXPECT_EQ(sum, t.size());
}

}  // namespace
}  // namespace tvpn
