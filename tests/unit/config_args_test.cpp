#include <gtest/gtest.h>

#include "vnddconfig/vnddconfig.h"

using namespace tvpn;

TEST(ConfigArgs, ReadmeAddParses) {
    auto c = parse_config_args({"add", "vlan3"});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->verb, ConfigVerb::Add);
    EXPECT_EQ(c->spec.name, "vlan3");
    EXPECT_EQ(c->spec.mtu, kDefaultMtu);
    EXPECT_FALSE(c->spec.mac);
}

TEST(ConfigArgs, AddTakesMtuMacNoarpInAnyOrder) {
    auto c = parse_config_args({"-backend", "tap", "add", "v0", "noarp", "mac", "02:00:00:00:00:01", "mtu", "9000"});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->backend, "tap");
    EXPECT_EQ(c->spec.mtu, 9000);
    EXPECT_TRUE(c->spec.noarp);
    ASSERT_TRUE(c->spec.mac);
    EXPECT_EQ((*c->spec.mac)[5], 1);
}

TEST(ConfigArgs, NoArgumentsMeansUsage) {
    auto c = parse_config_args({});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->verb, ConfigVerb::Usage);
}

TEST(ConfigArgs, RejectsBadInput) {
    std::vector<std::vector<std::string>> bad = {
        {"add"}, {"add", "a/b"}, {"add", "v", "mtu"}, {"add", "v", "mtu", "1"}, {"add", "v", "mtu", "1500", "mtu", "1500"},
        {"add", "v", "mac", "01:00:00:00:00:01"}, {"add", "v", "speed", "1"}, {"remove"}, {"remove", "v", "x"},
        {"list", "x"}, {"destroy", "v"}, {"-backend"}, {"-backend", "bogus", "list"},
    };
    for (const auto& args : bad) EXPECT_FALSE(parse_config_args(args)) << args.size();
}
