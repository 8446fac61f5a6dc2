#include <gtest/gtest.h>

#include "common/runtime_paths.h"
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

TEST(ConfigArgs, StatusFindsTheDefaultControlSocket) {
    auto c = parse_config_args({"status", "vlan3"});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->verb, ConfigVerb::Status);
    EXPECT_TRUE(c->pidfile.empty());
    EXPECT_EQ(status_socket_path(*c), control_socket_path(default_pidfile("vlan3")));
}

// A daemon started with -pidfile PATH has its control socket beside PATH.
TEST(ConfigArgs, StatusTakesTheDaemonsPidfile) {
    auto c = parse_config_args({"status", "vlan3", "-pidfile", "/var/tmp/tv/vlan3.pid"});
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->verb, ConfigVerb::Status);
    EXPECT_EQ(c->pidfile, "/var/tmp/tv/vlan3.pid");
    EXPECT_EQ(status_socket_path(*c), "/var/tmp/tv/vlan3.ctl");
    auto other = parse_config_args({"status", "v", "-pidfile", "/run/v.lock"});
    ASSERT_TRUE(other);
    EXPECT_EQ(status_socket_path(*other), "/run/v.lock.ctl");
    EXPECT_NE(std::string(vnddconfig_usage()).find("status IF [-pidfile PATH]"), std::string::npos);
}

TEST(ConfigArgs, StatusReplyMustNameTheInterface) {
    const std::string reply = "tunnel vlan3: 10.0.0.1:1 -> 10.0.0.2:1 (clear)\n  out: 0 frames\n"
                              "tunnel vlan30: 10.0.0.1:2 -> 10.0.0.2:2 (clear)\n";
    EXPECT_TRUE(status_mentions(reply, "vlan3"));
    EXPECT_TRUE(status_mentions(reply, "vlan30"));
    EXPECT_FALSE(status_mentions(reply, "vlan"));
    EXPECT_FALSE(status_mentions(reply, "lan3"));
    EXPECT_FALSE(status_mentions("", "vlan3"));
}

TEST(ConfigArgs, RejectsBadInput) {
    std::vector<std::vector<std::string>> bad = {
        {"add"}, {"add", "a/b"}, {"add", "v", "mtu"}, {"add", "v", "mtu", "1"}, {"add", "v", "mtu", "1500", "mtu", "1500"},
        {"add", "v", "mac", "01:00:00:00:00:01"}, {"add", "v", "speed", "1"}, {"remove"}, {"remove", "v", "x"},
        {"list", "x"}, {"destroy", "v"}, {"-backend"}, {"-backend", "bogus", "list"},
        {"status"}, {"status", "v", "x"}, {"status", "v", "-pidfile"}, {"status", "v", "-pidfile", "rel.pid"},
        {"status", "v", "-pidfile", "/a.pid", "x"}, {"remove", "v", "-pidfile", "/a.pid"},
    };
    for (const auto& args : bad) EXPECT_FALSE(parse_config_args(args)) << args.size();
}
