// vnddvpnd's password policy: a DES password never also guards a -pwd tunnel,
// and a -pwd password too weak for a year of online guessing at the most the
// protocol allows is refused unless -weak-pwd-ok (then a warning).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "tests/unit/daemon_args.h"
#include "vnddvpnd/password_policy.h"

namespace tvpn {
namespace {

using test::parse;

std::vector<std::string> tunnel(const char* ifname, const char* port) {
    return {"-tunnel", ifname, "10.0.0.1", port, "10.0.0.2", port};
}

std::vector<std::string> join(std::initializer_list<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Result<std::vector<std::string>> check(std::initializer_list<std::vector<std::string>> parts) {
    auto o = parse(join(parts));
    if (!o) return Error{"parse: " + o.error().message};
    return check_passwords(*o);
}

double bits(const char* password) {
    return password_strength_bits(crypto::Secret::from_string(password), {});
}

constexpr const char* kStrong = "plaid ferry orbit candle";  // README's example that passes
constexpr const char* kWeak = "correct horse";               // README's example that fails

// 2^bits guesses needed against at most kMaxGuessesPerYear a year: a chance
// of at most 2^-20 in a year, and the bound is the smallest such whole number.
// Whether this process has libzxcvbn mapped (/proc/self/maps).
bool zxcvbn_mapped() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.find("libzxcvbn") != std::string::npos) return true;
    return false;
}

// Its dictionaries would otherwise stay in the daemon's memory (1.4 MiB).
TEST(PasswordPolicy, ZxcvbnIsUnloadedAfterTheCheck) {
    ASSERT_FALSE(zxcvbn_mapped()) << "linked, not loaded for the check";
    const double bits = password_strength_bits(crypto::Secret::from_string("correct horse battery staple"), {});
    EXPECT_GT(bits, 30.0);
    EXPECT_FALSE(zxcvbn_mapped());
}

TEST(PasswordPolicy, ThresholdIsAYearOfGuessingPlus20Bits) {
    EXPECT_EQ(kMaxGuessesPerYear, 105540u);
    EXPECT_EQ(kMinPasswordBits, 37);
    EXPECT_LE(std::log2(static_cast<double>(kMaxGuessesPerYear)) + 20, kMinPasswordBits);
    EXPECT_GT(std::log2(static_cast<double>(kMaxGuessesPerYear)) + 20, kMinPasswordBits - 1);
}

// The documented examples stay true on both sides of the threshold.
TEST(PasswordPolicy, DocumentedExamples) {
    EXPECT_GE(bits(kStrong), kMinPasswordBits);
    EXPECT_LT(bits(kWeak), kMinPasswordBits);
    EXPECT_LT(bits("Summer2024!"), kMinPasswordBits);
    EXPECT_LT(bits("secret"), kMinPasswordBits);
}

TEST(PasswordPolicy, WeakPasswordRefusedWithTheNumbersAndTheWayOut) {
    auto r = check({tunnel("vlan3", "1"), {"-pwd", kWeak}});
    ASSERT_FALSE(r);
    const std::string& m = r.error().message;
    for (const char* part : {"vlan3", "too weak", "37", "105540", "-weak-pwd-ok"})
        EXPECT_NE(m.find(part), std::string::npos) << part << " missing from: " << m;
    EXPECT_EQ(m.find(kWeak), std::string::npos) << "the error shows the password: " << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << "one line";
}

TEST(PasswordPolicy, WeakPasswordWithWeakPwdOkIsAWarning) {
    auto r = check({tunnel("vlan3", "1"), {"-pwd", kWeak, "-weak-pwd-ok"}});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_NE((*r)[0].find("vlan3"), std::string::npos) << (*r)[0];
    EXPECT_NE((*r)[0].find("-weak-pwd-ok"), std::string::npos) << (*r)[0];
    EXPECT_EQ((*r)[0].find(kWeak), std::string::npos) << "the warning shows the password";
}

TEST(PasswordPolicy, StrongPasswordPassesSilently) {
    auto r = check({{"-pwd", kStrong}, tunnel("a", "1"), tunnel("b", "2")});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->empty());
    auto ok = check({{"-pwd", kStrong, "-weak-pwd-ok"}, tunnel("a", "1")});
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_TRUE(ok->empty());
}

// Each -pwd tunnel is judged: one weak among strong ones is enough to refuse.
TEST(PasswordPolicy, EveryHandshakeTunnelIsJudged) {
    auto r = check({tunnel("a", "1"), {"-pwd", kStrong}, tunnel("b", "2"), {"-pwd", kWeak}});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("tunnel b"), std::string::npos) << r.error().message;
}

// The interface's name (and the project's) count as especially guessable.
TEST(PasswordPolicy, InterfaceNameIsADictionaryWord) {
    const auto pw = crypto::Secret::from_string("tunnelzq7vlan3");
    const std::string words[] = {"tunnelzq7vlan3"};
    EXPECT_LT(password_strength_bits(pw, words), password_strength_bits(pw, {}));
    EXPECT_FALSE(check({tunnel("hunter2vlan", "1"), {"-pwd", "hunter2vlan"}}));
}

// A DES password is public (one DES decryption per guess on a captured
// datagram): never also the password of a -pwd tunnel, -weak-pwd-ok or not.
TEST(PasswordPolicy, DesPasswordRefusedOnAPwdTunnel) {
    auto r = check({tunnel("old", "1"), {"-pwd", kStrong, "-cipher", "des"}, tunnel("new", "2"), {"-pwd", kStrong}});
    ASSERT_FALSE(r);
    const std::string& m = r.error().message;
    for (const char* part : {"tunnel new", "tunnel old", "-cipher des", "public"})
        EXPECT_NE(m.find(part), std::string::npos) << part << " missing from: " << m;
    EXPECT_EQ(m.find(kStrong), std::string::npos) << "the error shows the password: " << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << "one line";
    EXPECT_FALSE(check({tunnel("old", "1"), {"-pwd", kStrong, "-cipher", "des"}, tunnel("new", "2"),
                        {"-pwd", kStrong, "-weak-pwd-ok"}}));
    // The default password for both, one of them DES.
    EXPECT_FALSE(check({{"-pwd", kStrong}, tunnel("old", "1"), {"-cipher", "des"}, tunnel("new", "2")}));
}

// DES keeps only the first 8 bytes (low bits dropped): a -pwd password that
// starts the same way hands those 8 bytes over as well.
TEST(PasswordPolicy, DesPasswordPrefixRefusedToo) {
    EXPECT_FALSE(check({tunnel("old", "1"), {"-pwd", "plaid fe", "-cipher", "des"}, tunnel("new", "2"),
                        {"-pwd", kStrong}}));
    EXPECT_FALSE(check({tunnel("old", "1"), {"-pwd", "plaid ferry orbit candle!", "-cipher", "des"},
                        tunnel("new", "2"), {"-pwd", kStrong}}));
    // 'a' (0x61) and '`' (0x60) differ only in the bit DES drops.
    EXPECT_FALSE(check({tunnel("old", "1"), {"-pwd", "pl`id ferry", "-cipher", "des"}, tunnel("new", "2"),
                        {"-pwd", kStrong}}));
    auto other = check({tunnel("old", "1"), {"-pwd", "oldtvpn-secret", "-cipher", "des"}, tunnel("new", "2"),
                        {"-pwd", kStrong}});
    EXPECT_TRUE(other) << other.error().message;
}

// A DES tunnel's own password is not judged for strength: it is public anyway.
TEST(PasswordPolicy, DesPasswordNotJudged) {
    auto r = check({tunnel("old", "1"), {"-pwd", "k", "-cipher", "des"}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->empty());
}

}  // namespace
}  // namespace tvpn
