#include "common/human_units.h"

#include <gtest/gtest.h>

using namespace tvpn;

TEST(HumanBytes, BinaryUnitsWithOneDecimal) {
    EXPECT_EQ(human_bytes(0), "0 B");
    EXPECT_EQ(human_bytes(1023), "1023 B");
    EXPECT_EQ(human_bytes(1024), "1.0 KiB");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(1024 * 1024 - 1), "1.0 MiB");  // never "1024.0 KiB"
    EXPECT_EQ(human_bytes(5ull << 30), "5.0 GiB");
    EXPECT_EQ(human_bytes(3ull << 40), "3.0 TiB");
    EXPECT_EQ(human_bytes(UINT64_MAX), "16.0 EiB");
}

TEST(HumanAge, TwoUnitsAtMost) {
    EXPECT_EQ(human_age(0), "0.0 s ago");
    EXPECT_EQ(human_age(400), "0.4 s ago");
    EXPECT_EQ(human_age(9999), "9.9 s ago");
    EXPECT_EQ(human_age(42000), "42 s ago");
    EXPECT_EQ(human_age(182000), "3 min 2 s ago");
    EXPECT_EQ(human_age((5 * 3600 + 3 * 60 + 9) * 1000ull), "5 h 3 min ago");
    EXPECT_EQ(human_age((2 * 86400 + 3 * 3600) * 1000ull), "2 d 3 h ago");
}
