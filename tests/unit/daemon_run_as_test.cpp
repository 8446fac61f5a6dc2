// The user vnddvpnd runs as after set-up: -user NAME and the file's User=,
// the default (tvpn when started as root and it exists), and the errors
// for a user that does not exist or cannot be become.
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include "tests/unit/daemon_args.h"
#include "tests/unit/temp_dir.h"
#include "vnddvpnd/config_options.h"
#include "vnddvpnd/run_as.h"

using namespace tvpn;
using tvpn::test::parse;
using tvpn::test::TempDir;

namespace {

constexpr const char* kNobodyHere = "tvpn-test-no-such-user";

const char* tunnel[] = {"-tunnel", "vlan3", "198.51.100.1", "4000", "198.51.100.2", "4000"};

std::vector<std::string> with_tunnel(std::vector<std::string> extra) {
    std::vector<std::string> args(std::begin(tunnel), std::end(tunnel));
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

std::string own_name() {
    const passwd* pw = ::getpwuid(::geteuid());
    return pw ? pw->pw_name : "";
}

}  // namespace

TEST(RunAs, AUserThatDoesNotExistIsOneClearError) {
    auto r = resolve_run_as(kNobodyHere);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, std::string("user '") + kNobodyHere +
                                     "' (-user or User=) does not exist: create it (the tvpn package creates tvpn) or "
                                     "name another");
    auto o = parse(with_tunnel({"-user", kNobodyHere}));
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("does not exist"), std::string::npos) << o.error().message;
}

TEST(RunAs, OurOwnUserNeedsNoSwitch) {
    const std::string me = own_name();
    if (me.empty()) GTEST_SKIP() << "this user has no passwd entry";
    auto r = resolve_run_as(me);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->uid, ::geteuid());
    EXPECT_FALSE(r->switch_user);  // root stays root; another user is already who it is
}

TEST(RunAs, TheDefaultIsTvpnForRootWhenItExists) {
    auto r = resolve_run_as("");
    ASSERT_TRUE(r) << r.error().message;
    const passwd* tvpn = ::getpwnam(kDefaultUser);
    if (::geteuid() != 0) {
        EXPECT_EQ(r->uid, ::geteuid());  // started as a user (the unit's User=): stays it
        EXPECT_FALSE(r->switch_user);
    } else if (tvpn) {
        EXPECT_EQ(r->uid, tvpn->pw_uid);
        EXPECT_EQ(r->gid, tvpn->pw_gid);
        EXPECT_TRUE(r->switch_user);
        EXPECT_EQ(run_as_note(*r), "");
    } else {
        EXPECT_EQ(r->uid, 0u);
        EXPECT_TRUE(r->default_missing);
        EXPECT_NE(run_as_note(*r).find("no user tvpn: vnddvpnd stays root (without capabilities)"), std::string::npos);
    }
}

TEST(RunAs, AnotherUserIsOutOfReachWithoutRoot) {
    if (::geteuid() == 0) GTEST_SKIP() << "runs as root, who may become anyone";
    auto r = resolve_run_as("root");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("cannot become another user (start it as root)"), std::string::npos);
}

TEST(RunAs, UserOptionIsParsedOnceAndNeedsAName) {
    auto o = parse(with_tunnel({"-user", "root", "-user", "root"}));
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message, "-user given twice");
    o = parse(with_tunnel({"-user"}));
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().message, "missing NAME after -user");
}

TEST(RunAs, TheFilesUserAppliesUnlessTheCommandLineNamesOne) {
    TempDir d;
    const auto conf = d.file("vlan3.conf",
                             std::string("[Interface]\nListenPort = 4000\nUser = ") + kNobodyHere +
                                 "\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n",
                             0644);
    auto from_file = parse({"-config", conf});
    ASSERT_TRUE(from_file) << from_file.error().message;
    const auto st = load_config_tunnels(*from_file);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.message().rfind(conf + ":1: User: user '" + kNobodyHere + "'", 0), 0u) << st.message();
    const std::string me = own_name();
    if (me.empty()) return;
    auto overridden = parse({"-config", conf, "-user", me});
    ASSERT_TRUE(overridden) << overridden.error().message;
    ASSERT_TRUE(load_config_tunnels(*overridden));
    EXPECT_EQ(overridden->run_as->uid, ::geteuid());
}
