// vnddvpnd's -cipher and -rekey options, and wiping the passwords.
#include <gtest/gtest.h>

#include "vnddvpnd/options.h"

namespace tvpn {
namespace {

std::vector<std::string> tunnel(const char* ifname) { return {"-tunnel", ifname, "10.0.0.1", "1", "10.0.0.2", "1"}; }

std::vector<std::string> join(std::initializer_list<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

TEST(DaemonSecurityOptions, CipherDesFollowsThePwdPlacement) {
    auto o = parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-cipher", "des"}, tunnel("b"), {"-pwd", "k"}}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->tunnels[0].cipher, "des");
    EXPECT_EQ(o->tunnels[1].cipher, "");
    auto d = parse_daemon_args(join({{"-pwd", "k", "-cipher", "des"}, tunnel("a"), tunnel("b")}));
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->tunnels[0].cipher, "des");
    EXPECT_EQ(d->tunnels[1].cipher, "des");
}

TEST(DaemonSecurityOptions, CipherNeedsPwdAndAKnownName) {
    EXPECT_FALSE(parse_daemon_args(join({tunnel("a"), {"-cipher", "des"}})));
    EXPECT_FALSE(parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-cipher", "rot13"}})));
    EXPECT_FALSE(parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-cipher"}})));
}

TEST(DaemonSecurityOptions, RekeyTakesSeconds) {
    auto o = parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-rekey", "2"}}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->rekey_seconds, 2u);
    for (const char* bad : {"0", "-1", "2s", "", "86401"})
        EXPECT_FALSE(parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-rekey", bad}}))) << bad;
}

// -rekey renews session keys: without a tunnel that has them it is a mistake, said so.
TEST(DaemonSecurityOptions, RekeyNeedsATunnelWithPwd) {
    auto clear = parse_daemon_args(join({tunnel("a"), {"-rekey", "2"}}));
    ASSERT_FALSE(clear);
    EXPECT_NE(clear.error().message.find("-rekey needs -pwd"), std::string::npos) << clear.error().message;
    auto before = parse_daemon_args(join({{"-rekey", "2"}, tunnel("a")}));
    EXPECT_FALSE(before);
    auto des = parse_daemon_args(join({tunnel("a"), {"-pwd", "k", "-cipher", "des", "-rekey", "2"}}));
    ASSERT_FALSE(des);
    EXPECT_NE(des.error().message.find("-cipher des"), std::string::npos) << des.error().message;
    // One tunnel with the handshake is enough; the clear one beside it is unaffected.
    auto mixed = parse_daemon_args(join({tunnel("a"), tunnel("b"), {"-pwd", "k", "-rekey", "2"}}));
    ASSERT_TRUE(mixed) << mixed.error().message;
    EXPECT_EQ(mixed->rekey_seconds, 2u);
    EXPECT_TRUE(parse_daemon_args(join({{"-rekey", "2", "-pwd", "k"}, tunnel("a")})));
}

TEST(DaemonSecurityOptions, CipherWithoutPwdSaysWhy) {
    auto o = parse_daemon_args(join({tunnel("a"), {"-cipher", "des"}}));
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("needs -pwd"), std::string::npos) << o.error().message;
}

TEST(DaemonSecurityOptions, PasswordsCanBeWiped) {
    auto o = parse_daemon_args(join({tunnel("a"), {"-pwd", "a rather long password, past any small-string buffer"}}));
    ASSERT_TRUE(o);
    wipe_passwords(*o);
    EXPECT_TRUE(o->tunnels[0].password.empty());
    EXPECT_TRUE(o->tunnels[0].has_password);
}

TEST(DaemonSecurityOptions, UsageDocumentsTheNewOptions) {
    const std::string usage = vnddvpnd_usage();
    EXPECT_NE(usage.find("-cipher des"), std::string::npos);
    EXPECT_NE(usage.find("-rekey SECS"), std::string::npos);
    EXPECT_NE(usage.find("[-rekey SECS]"), std::string::npos) << "-rekey missing from the synopsis";
}

}  // namespace
}  // namespace tvpn
