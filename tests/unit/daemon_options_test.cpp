#include <gtest/gtest.h>

#include "tests/unit/daemon_args.h"

using namespace tvpn;
using tvpn::test::parse;
using tvpn::test::text_of;

namespace {
std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        size_t j = s.find(' ', i);
        if (j == std::string::npos) j = s.size();
        out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}
}  // namespace

TEST(DaemonOptions, ReadmeCommandParsesVerbatim) {
    auto o = parse(split("-tunnel vlan3 120.0.0.1 33000 120.0.0.2 33000"));
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->tunnels.size(), 1u);
    EXPECT_EQ(o->tunnels[0].ifname, "vlan3");
    EXPECT_EQ(o->tunnels[0].local_host, "120.0.0.1");
    EXPECT_EQ(o->tunnels[0].remote_port, "33000");
    EXPECT_FALSE(o->tunnels[0].has_password);
    EXPECT_FALSE(o->daemonize);
}

TEST(DaemonOptions, PwdAfterATunnelAppliesToThatTunnelOnly) {
    auto o = parse(split("-tunnel a 1.1.1.1 1 2.2.2.2 1 -pwd k1 -tunnel b 1.1.1.1 2 3.3.3.3 2 -daemonize"));
    ASSERT_TRUE(o) << o.error().message;
    ASSERT_EQ(o->tunnels.size(), 2u);
    EXPECT_EQ(text_of(o->tunnels[0].password), "k1");
    EXPECT_FALSE(o->tunnels[1].has_password);
    EXPECT_TRUE(o->daemonize);
}

TEST(DaemonOptions, PwdBeforeAnyTunnelIsTheDefault) {
    auto o = parse(split("-pwd k0 -tunnel a 1.1.1.1 1 2.2.2.2 1 -tunnel b 1.1.1.1 2 3.3.3.3 2 -pwd k2"));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(text_of(o->tunnels[0].password), "k0");
    EXPECT_EQ(text_of(o->tunnels[1].password), "k2");
}

TEST(DaemonOptions, RejectsBadInputWithAReason) {
    const char* bad[] = {
        "",
        "-tunnel vlan3 1.1.1.1 1 2.2.2.2",
        "-tunnel vlan3 1.1.1.1 1 2.2.2.2 0",
        "-tunnel vlan3 1.1.1.1 x 2.2.2.2 1",
        "-tunnel abcdefghijklmnop 1.1.1.1 1 2.2.2.2 1",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -bogus",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -pwd",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -pwd a -pwd b",
        "-pwd a -pwd b -tunnel a 1.1.1.1 1 2.2.2.2 1",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -tunnel a 1.1.1.1 2 2.2.2.2 2",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -backend xyz",
        "-tunnel a 1.1.1.1 1 2.2.2.2 1 -pidfile relative.pid",
        "-tunnel a 1.1.1.1 -daemonize 2.2.2.2 1",
    };
    for (const char* args : bad) {
        auto o = parse(split(args));
        EXPECT_FALSE(o) << args;
        if (!o) {
            EXPECT_FALSE(o.error().message.empty());
        }
    }
}
