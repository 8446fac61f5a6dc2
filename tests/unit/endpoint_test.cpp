#include "common/endpoint.h"

#include <gtest/gtest.h>

using namespace tvpn;

TEST(Endpoint, ResolvesNumericIpv4AndIpv6) {
    auto v4 = Endpoint::resolve("198.51.100.1", "33000");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->family(), AF_INET);
    EXPECT_EQ(v4->to_string(), "198.51.100.1:33000");
    auto v6 = Endpoint::resolve("2001:db8::1", "33000");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->family(), AF_INET6);
    EXPECT_EQ(v6->to_string(), "[2001:db8::1]:33000");
}

TEST(Endpoint, FamilyRestrictionRejectsTheOtherFamily) {
    EXPECT_FALSE(Endpoint::resolve("2001:db8::1", "1", AF_INET));
}

TEST(Endpoint, EqualityComparesAddressAndPort) {
    auto a = Endpoint::resolve("198.51.100.1", "1");
    auto b = Endpoint::resolve("198.51.100.1", "1");
    auto c = Endpoint::resolve("198.51.100.1", "2");
    auto d = Endpoint::resolve("198.51.100.2", "1");
    EXPECT_TRUE(*a == *b);
    EXPECT_FALSE(*a == *c);
    EXPECT_FALSE(*a == *d);
}

TEST(Port, AcceptsOneTo65535Only) {
    EXPECT_TRUE(parse_port("1"));
    EXPECT_TRUE(parse_port("65535"));
    EXPECT_FALSE(parse_port("0"));
    EXPECT_FALSE(parse_port("65536"));
    EXPECT_FALSE(parse_port("-1"));
    EXPECT_FALSE(parse_port("http"));
    EXPECT_FALSE(Endpoint::resolve("198.51.100.1", "0"));
}
