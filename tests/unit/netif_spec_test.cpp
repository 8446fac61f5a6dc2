#include "common/device/netif_spec.h"

#include <gtest/gtest.h>

using namespace tvpn;

TEST(InterfaceName, AcceptsOrdinaryNamesUpTo15Bytes) {
    EXPECT_FALSE(check_ifname("vlan3"));
    EXPECT_FALSE(check_ifname("abcdefghijklmno"));
}

TEST(InterfaceName, RejectsEmptyLongSlashSpaceColonAndDots) {
    EXPECT_TRUE(check_ifname(""));
    EXPECT_TRUE(check_ifname("abcdefghijklmnop"));
    EXPECT_TRUE(check_ifname("a/b"));
    EXPECT_TRUE(check_ifname("a b"));
    EXPECT_TRUE(check_ifname("a:b"));
    EXPECT_TRUE(check_ifname("a\tb"));
    EXPECT_TRUE(check_ifname("."));
    EXPECT_TRUE(check_ifname(".."));
}

TEST(Mtu, RangeIs68To65000) {
    EXPECT_TRUE(check_mtu(0));
    EXPECT_TRUE(check_mtu(67));
    EXPECT_FALSE(check_mtu(68));
    EXPECT_FALSE(check_mtu(1500));
    EXPECT_FALSE(check_mtu(65000));
    EXPECT_TRUE(check_mtu(65001));
}

TEST(Mac, ParsesAndFormatsRoundTrip) {
    auto mac = parse_mac("02:0A:bc:00:ff:10");
    ASSERT_TRUE(mac);
    EXPECT_EQ(format_mac(*mac), "02:0a:bc:00:ff:10");
}

TEST(Mac, RejectsMalformedMulticastAndZero) {
    EXPECT_FALSE(parse_mac("02:0a:bc:00:ff"));
    EXPECT_FALSE(parse_mac("02:0a:bc:00:ff:1"));
    EXPECT_FALSE(parse_mac("02-0a-bc-00-ff-10"));
    EXPECT_FALSE(parse_mac("02:0a:bc:00:ff:1g"));
    EXPECT_FALSE(parse_mac("02:0a:bc:00:ff:10:"));
    auto mc = parse_mac("01:00:5e:00:00:01");
    ASSERT_FALSE(mc);
    EXPECT_NE(mc.error().message.find("multicast"), std::string::npos);
    EXPECT_FALSE(parse_mac("ff:ff:ff:ff:ff:ff"));
    EXPECT_FALSE(parse_mac("00:00:00:00:00:00"));
}

TEST(ParseLong, AcceptsOnlyWholeDecimalsInRange) {
    EXPECT_EQ(parse_long("42", 0, 100), 42);
    EXPECT_EQ(parse_long("-5", -10, 10), -5);
    EXPECT_FALSE(parse_long("", 0, 100));
    EXPECT_FALSE(parse_long("4x", 0, 100));
    EXPECT_FALSE(parse_long(" 4", 0, 100));
    EXPECT_FALSE(parse_long("101", 0, 100));
    EXPECT_FALSE(parse_long("99999999999999999999", 0, 100));
}
