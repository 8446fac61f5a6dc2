#include <gtest/gtest.h>

#include "common/control/runtime_paths.h"
#include "vnddconfig/up_down.h"
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

TEST(ConfigArgs, UpAndDownReadTheDefaultFileOrTheOneGiven) {
    auto up = parse_config_args({"up", "vlan3"});
    ASSERT_TRUE(up) << up.error().message;
    EXPECT_EQ(up->verb, ConfigVerb::Up);
    EXPECT_EQ(up->spec.name, "vlan3");
    EXPECT_EQ(up->config_file, "");
    EXPECT_EQ(default_config_path("vlan3"), "/etc/tvpn/vlan3.conf");
    auto down = parse_config_args({"down", "vlan3", "-config", "/srv/tvpn/vlan3.conf"});
    ASSERT_TRUE(down) << down.error().message;
    EXPECT_EQ(down->verb, ConfigVerb::Down);
    EXPECT_EQ(down->config_file, "/srv/tvpn/vlan3.conf");
    EXPECT_FALSE(up->no_daemon || down->no_daemon);
}

// -no-daemon (the unit's steps around its daemon) goes before or after -config.
TEST(ConfigArgs, UpAndDownWithoutTheDaemon) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"up", "vlan3", "-no-daemon"},
                                                                  {"down", "vlan3", "-no-daemon", "-config", "/srv/v.conf"},
                                                                  {"up", "vlan3", "-config", "/srv/v.conf", "-no-daemon"}}) {
        auto c = parse_config_args(args);
        ASSERT_TRUE(c) << c.error().message;
        EXPECT_EQ(c->verb, args[0] == "up" ? ConfigVerb::Up : ConfigVerb::Down);
        EXPECT_TRUE(c->no_daemon);
        EXPECT_EQ(c->config_file, args.size() == 3 ? "" : "/srv/v.conf");
    }
}

TEST(ConfigArgs, UpAndDownMistakes) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"up"}, "up needs an interface name"},
        {{"down"}, "down needs an interface name"},
        {{"up", "vlan3", "-pidfile", "/x"}, "unknown option '-pidfile' for up (expected -config FILE or -no-daemon)"},
        {{"up", "vlan3", "-config"}, "missing value after -config"},
        {{"up", "vlan3", "-no-daemon", "-config"}, "missing value after -config"},
        {{"up", "vlan3", "-config", ""}, "-config needs a FILE"},
        {{"down", "vlan3", "-config", "/a", "/b"}, "unknown option '/b' for down (expected -config FILE or -no-daemon)"},
        {{"down", "vlan3", "-config", "/a", "-config", "/b"}, "-config given twice"},
        {{"up", "vlan3", "-no-daemon", "-no-daemon"}, "-no-daemon given twice"},
        {{"status", "vlan3", "-no-daemon"}, "unknown option '-no-daemon' for status (expected -pidfile PATH)"},
        {{"-backend", "tap", "up", "vlan3"}, "up takes the backend from the file (Backend =), not from -backend"},
        {{"up", "a$b"}, "interface name 'a$b' may only have letters, digits, '_', '.' and '-'"},
        {{"up", "abcdefghijklmnop"}, "interface name 'abcdefghijklmnop' is longer than 15 bytes"},
    };
    for (const auto& [args, want] : cases) {
        auto c = parse_config_args(args);
        ASSERT_FALSE(c) << args[0];
        EXPECT_EQ(c.error().message, want);
    }
}

TEST(ConfigArgs, ShowTakesAnInterfaceAPidfileAndOneFormatInAnyOrder) {
    auto all = parse_config_args({"show"});
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->verb, ConfigVerb::Show);
    EXPECT_TRUE(all->spec.name.empty());
    EXPECT_EQ(all->format, ShowFormat::Text);
    auto one = parse_config_args({"show", "--prometheus", "vlan3", "-pidfile", "/run/x.pid"});
    ASSERT_TRUE(one) << one.error().message;
    EXPECT_EQ(one->spec.name, "vlan3");
    EXPECT_EQ(one->format, ShowFormat::Prometheus);
    EXPECT_EQ(one->pidfile, "/run/x.pid");
    auto json = parse_config_args({"show", "--json"});
    ASSERT_TRUE(json);
    EXPECT_EQ(json->format, ShowFormat::Json);
}

TEST(ConfigArgs, ShowRefusesWhatItCannotDo) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
        {{"show", "--json", "--prometheus"}, "one of --json and --prometheus"},
        {{"show", "vlan3", "vlan4"}, "at most one interface"},
        {{"show", "-pidfile", "/run/x.pid"}, "needs the interface name"},
        {{"show", "vlan3", "-pidfile"}, "missing value after -pidfile"},
        {{"show", "vlan3", "-pidfile", "x.pid"}, "absolute path"},
        {{"show", "--yaml"}, "unknown option '--yaml'"},
        {{"show", "a/b"}, "contains '/'"},
    };
    for (const auto& [args, why] : bad) {
        auto c = parse_config_args(args);
        ASSERT_FALSE(c) << args.back();
        EXPECT_NE(c.error().message.find(why), std::string::npos) << c.error().message;
    }
}
