// The record of vnddconfig up: what it says, and what no up writes.
#include "vnddconfig/up_record.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/unit/temp_dir.h"

using namespace tvpn;

TEST(UpRecord, EveryStep) {
    auto r = parse_up_record("config /etc/tvpn/vlan3.conf\npre-up\ninterface\nbridge br0\ndaemon /run/vnddvpnd/vlan3.pid\npost-up\n", "R");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->config_path, "/etc/tvpn/vlan3.conf");
    EXPECT_TRUE(r->pre_up && r->interface && r->post_up);
    EXPECT_EQ(r->bridge, "br0");
    EXPECT_EQ(r->pidfile, "/run/vnddvpnd/vlan3.pid");
    EXPECT_FALSE(r->no_daemon);
}

TEST(UpRecord, AnUpWithoutTheDaemonSaysSo) {
    auto r = parse_up_record("config /etc/tvpn/vlan3.conf\nno-daemon\npre-up\ninterface\npost-up\n", "R");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->no_daemon && r->pre_up && r->interface && r->post_up);
    EXPECT_TRUE(r->pidfile.empty());
    EXPECT_EQ(parse_up_record("config /c\nno-daemon x\n", "R").error().message, "R:2: unexpected value (not a record of vnddconfig up)");
}

TEST(UpRecord, AnUpStoppedEarlyListsOnlyItsFirstSteps) {
    auto r = parse_up_record("config /etc/tvpn/my conf.conf\npre-up\n", "R");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->config_path, "/etc/tvpn/my conf.conf");
    EXPECT_TRUE(r->pre_up);
    EXPECT_FALSE(r->interface || r->post_up);
    EXPECT_TRUE(r->bridge.empty() && r->pidfile.empty());
}

TEST(UpRecord, RefusesWhatNoUpWrites) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "R: names no configuration file (not a record of vnddconfig up)"},
        {"pre-up\n", "R: names no configuration file (not a record of vnddconfig up)"},
        {"config relative.conf\n", "R:1: 'relative.conf' is not an absolute path (not a record of vnddconfig up)"},
        {"config /c\nbridge br/0\n", "R:2: interface name 'br/0' contains '/', ':', a space or a control character (not a record of vnddconfig up)"},
        {"config /c\nbridge a;rm\n", "R:2: interface name 'a;rm' may only have letters, digits, '_', '.' and '-' (not a record of vnddconfig up)"},
        {"config /c\ndaemon x.pid\n", "R:2: 'x.pid' is not an absolute path (not a record of vnddconfig up)"},
        {"config /c\ninterface vlan3\n", "R:2: unexpected value (not a record of vnddconfig up)"},
        {"config /c\nrm -rf /\n", "R:2: unknown step (not a record of vnddconfig up)"},
    };
    for (const auto& [text, want] : cases) {
        auto r = parse_up_record(text, "R");
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().message, want);
    }
}

TEST(UpRecord, WrittenStepByStepAndReadBack) {
    tvpn::test::TempDir d;
    const std::string path = d.path() + "/vlan3.up";
    EXPECT_EQ(read_up_record(path, "vlan3").error().message,
              "vlan3 is not up (no record of 'vnddconfig up vlan3' at " + path + ")");
    {
        auto w = UpRecordWriter::create(path, "vlan3", "/etc/tvpn/vlan3.conf");
        ASSERT_TRUE(w) << w.error().message;
        ASSERT_TRUE(w->pre_up());
        ASSERT_TRUE(w->interface());
        ASSERT_TRUE(w->bridge("br0"));
    }
    auto again = UpRecordWriter::create(path, "vlan3", "/etc/tvpn/vlan3.conf");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message, "vlan3 is already up, or an earlier up did not finish (" + path +
                                         "): 'vnddconfig down vlan3' first");
    auto r = read_up_record(path, "vlan3");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->pre_up && r->interface);
    EXPECT_EQ(r->bridge, "br0");
    EXPECT_FALSE(r->post_up);
    EXPECT_TRUE(r->pidfile.empty());
}

// A second up names the down that undoes the first: -no-daemon for a service's.
TEST(UpRecord, TheRefusalOfASecondUpNamesTheRightDown) {
    tvpn::test::TempDir d;
    const std::string path = d.path() + "/vlan3.up";
    {
        auto w = UpRecordWriter::create(path, "vlan3", "/etc/tvpn/vlan3.conf", true);
        ASSERT_TRUE(w) << w.error().message;
        ASSERT_TRUE(w->interface());
    }
    auto r = read_up_record(path, "vlan3");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->no_daemon && r->interface);
    for (bool no_daemon : {false, true}) {
        auto again = UpRecordWriter::create(path, "vlan3", "/etc/tvpn/vlan3.conf", no_daemon);
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().message, "vlan3 is already up, or an earlier up did not finish (" + path +
                                             "): 'vnddconfig down vlan3 -no-daemon' first");
    }
}

TEST(UpRecord, ARecordSomeoneElseWroteIsRefused) {
    // /run/vnddvpnd lets the daemons' user create files: a record it made
    // could name any bridge or pidfile for down to act on as root.
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file away";
    tvpn::test::TempDir d;
    const auto path = d.file("vlan3.up", "config /etc/tvpn/vlan3.conf\nbridge eth0\n");
    ASSERT_TRUE(read_up_record(path, "vlan3"));
    ASSERT_EQ(::chown(path.c_str(), 4242, 4242), 0);
    auto r = read_up_record(path, "vlan3");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, path + " is not a file of this user's (not a record of vnddconfig up): remove it");
}
