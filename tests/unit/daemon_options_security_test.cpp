// vnddvpnd's -cipher, -rekey and -weak-pwd-ok options, and how the passwords
// are carried: as Secrets that move and are wiped, never copied.
#include <gtest/gtest.h>

#include <type_traits>

#include "tests/unit/daemon_args.h"

namespace tvpn {
namespace {

using test::parse;
using test::text_of;

std::vector<std::string> tunnel(const char* ifname) { return {"-tunnel", ifname, "10.0.0.1", "1", "10.0.0.2", "1"}; }

std::vector<std::string> join(std::initializer_list<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

TEST(DaemonSecurityOptions, CipherDesFollowsThePwdPlacement) {
    auto o = parse(join({tunnel("a"), {"-pwd", "k", "-cipher", "des"}, tunnel("b"), {"-pwd", "k"}}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->tunnels[0].cipher, "des");
    EXPECT_EQ(o->tunnels[1].cipher, "");
    auto d = parse(join({{"-pwd", "k", "-cipher", "des"}, tunnel("a"), tunnel("b")}));
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->tunnels[0].cipher, "des");
    EXPECT_EQ(d->tunnels[1].cipher, "des");
}

TEST(DaemonSecurityOptions, CipherNeedsPwdAndAKnownName) {
    EXPECT_FALSE(parse(join({tunnel("a"), {"-cipher", "des"}})));
    EXPECT_FALSE(parse(join({tunnel("a"), {"-pwd", "k", "-cipher", "rot13"}})));
    EXPECT_FALSE(parse(join({tunnel("a"), {"-pwd", "k", "-cipher"}})));
}

TEST(DaemonSecurityOptions, RekeyTakesSeconds) {
    auto o = parse(join({tunnel("a"), {"-pwd", "k", "-rekey", "2"}}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->rekey_seconds, 2u);
    for (const char* bad : {"0", "-1", "2s", "", "86401"})
        EXPECT_FALSE(parse(join({tunnel("a"), {"-pwd", "k", "-rekey", bad}}))) << bad;
}

// -rekey renews session keys: without a tunnel that has them it is a mistake, said so.
TEST(DaemonSecurityOptions, RekeyNeedsATunnelWithPwd) {
    auto clear = parse(join({tunnel("a"), {"-rekey", "2"}}));
    ASSERT_FALSE(clear);
    EXPECT_NE(clear.error().message.find("-rekey needs -pwd"), std::string::npos) << clear.error().message;
    auto before = parse(join({{"-rekey", "2"}, tunnel("a")}));
    EXPECT_FALSE(before);
    auto des = parse(join({tunnel("a"), {"-pwd", "k", "-cipher", "des", "-rekey", "2"}}));
    ASSERT_FALSE(des);
    EXPECT_NE(des.error().message.find("-cipher des"), std::string::npos) << des.error().message;
    // One tunnel with the handshake is enough; the clear one beside it is unaffected.
    auto mixed = parse(join({tunnel("a"), tunnel("b"), {"-pwd", "k", "-rekey", "2"}}));
    ASSERT_TRUE(mixed) << mixed.error().message;
    EXPECT_EQ(mixed->rekey_seconds, 2u);
    EXPECT_TRUE(parse(join({{"-rekey", "2", "-pwd", "k"}, tunnel("a")})));
}

TEST(DaemonSecurityOptions, CipherWithoutPwdSaysWhy) {
    auto o = parse(join({tunnel("a"), {"-cipher", "des"}}));
    ASSERT_FALSE(o);
    EXPECT_NE(o.error().message.find("needs -pwd"), std::string::npos) << o.error().message;
}

TEST(DaemonSecurityOptions, PasswordsCanBeWiped) {
    auto o = parse(join({tunnel("a"), {"-pwd", "a rather long password, past any small-string buffer"}}));
    ASSERT_TRUE(o);
    EXPECT_EQ(text_of(o->tunnels[0].password), "a rather long password, past any small-string buffer");
    wipe_passwords(*o);
    EXPECT_TRUE(o->tunnels[0].password.empty());
    EXPECT_TRUE(o->tunnels[0].has_password);
}

// -weak-pwd-ok only means something to a tunnel with the SPAKE2 handshake.
TEST(DaemonSecurityOptions, WeakPwdOkNeedsAHandshakeTunnel) {
    auto o = parse(join({tunnel("a"), {"-pwd", "k", "-weak-pwd-ok"}}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_TRUE(o->weak_pwd_ok);
    EXPECT_FALSE(parse(join({tunnel("a")}))->weak_pwd_ok);
    auto clear = parse(join({tunnel("a"), {"-weak-pwd-ok"}}));
    ASSERT_FALSE(clear);
    EXPECT_NE(clear.error().message.find("-weak-pwd-ok needs -pwd"), std::string::npos) << clear.error().message;
    auto des = parse(join({tunnel("a"), {"-pwd", "k", "-cipher", "des", "-weak-pwd-ok"}}));
    ASSERT_FALSE(des);
    EXPECT_NE(des.error().message.find("-cipher des"), std::string::npos) << des.error().message;
}

// The options hold each password once, in a Secret: no copies, moves only.
static_assert(!std::is_copy_constructible_v<TunnelOptions> && !std::is_copy_assignable_v<TunnelOptions>);
static_assert(std::is_nothrow_move_constructible_v<TunnelOptions>, "vector growth must move");
// (std::vector declares its copy constructor whatever the element, so the
// traits cannot show DaemonOptions is move-only; copying it does not compile.)
static_assert(std::is_nothrow_move_constructible_v<DaemonOptions>);

// Growing the vector of tunnels moves each password's buffer (the same
// bytes at the same address), so no copy is left behind in a freed one.
TEST(DaemonSecurityOptions, VectorGrowthMovesThePasswordBuffer) {
    auto o = parse(join({tunnel("a"), {"-pwd", "short one"}}));
    ASSERT_TRUE(o) << o.error().message;
    const uint8_t* buffer = o->tunnels[0].password.data();
    for (int i = 0; i < 40; ++i) {  // after each growth: a copy could land back at the old address later
        o->tunnels.push_back(TunnelOptions{});
        ASSERT_EQ(o->tunnels[0].password.data(), buffer) << "after growing to " << o->tunnels.size();
    }
    EXPECT_EQ(text_of(o->tunnels[0].password), "short one");
    DaemonOptions moved = std::move(*o);
    EXPECT_EQ(moved.tunnels[0].password.data(), buffer);
    EXPECT_TRUE(o->tunnels.empty());
}

// A default -pwd gives each tunnel a Secret of its own, wiped on its own.
TEST(DaemonSecurityOptions, DefaultPasswordIsOneSecretPerTunnel) {
    auto o = parse(join({{"-pwd", "shared"}, tunnel("a"), tunnel("b")}));
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_NE(o->tunnels[0].password.data(), o->tunnels[1].password.data());
    o->tunnels[0].password.wipe();
    EXPECT_EQ(text_of(o->tunnels[1].password), "shared");
}

TEST(DaemonSecurityOptions, UsageDocumentsTheNewOptions) {
    const std::string usage = vnddvpnd_usage();
    EXPECT_NE(usage.find("-cipher des"), std::string::npos);
    EXPECT_NE(usage.find("-rekey SECS"), std::string::npos);
    EXPECT_NE(usage.find("[-rekey SECS]"), std::string::npos) << "-rekey missing from the synopsis";
    EXPECT_NE(usage.find("[-weak-pwd-ok]"), std::string::npos) << "-weak-pwd-ok missing from the synopsis";
    EXPECT_NE(usage.find("37 bits"), std::string::npos) << "the usage should say how strong is strong enough";
}

}  // namespace
}  // namespace tvpn
