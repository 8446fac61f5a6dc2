// Cookies: a cookie MAC verifies only for the address and port the cookie was
// given to, across one secret rotation but not two, and an initiator stamps
// its Init only while the cookie is fresh.
#include "common/handshake_cookie.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

namespace tvpn {
namespace {

constexpr uint64_t S = wire::kSecond;

sockaddr_storage v4(uint32_t addr, uint16_t port) {
    sockaddr_storage ss{};
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(addr);
    in->sin_port = htons(port);
    return ss;
}

sockaddr_storage v6(uint8_t last, uint16_t port) {
    sockaddr_storage ss{};
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    in6->sin6_family = AF_INET6;
    in6->sin6_addr.s6_addr[0] = 0x20;
    in6->sin6_addr.s6_addr[15] = last;
    in6->sin6_port = htons(port);
    return ss;
}

// An Init stamped with `cookie`, as the initiator sends it.
std::array<uint8_t, wire::kInitSize> stamped(const Cookie& cookie, uint64_t now) {
    std::array<uint8_t, wire::kInitSize> init{};
    for (size_t i = 0; i < wire::kInitCookieOffset; ++i) init[i] = static_cast<uint8_t>(i);
    ReceivedCookie rc;
    rc.set(cookie, now);
    rc.stamp(init, now);
    return init;
}

bool verifies(CookieJar& jar, const sockaddr_storage& src, const std::array<uint8_t, wire::kInitSize>& init,
              uint64_t now) {
    return jar.verify(src, std::span(init).first<wire::kInitCookieOffset>(),
                      std::span(init).subspan<wire::kInitCookieOffset, wire::kCookieMacSize>(), now);
}

TEST(HandshakeCookie, VerifiesOnlyForTheSourceItWasGivenTo) {
    CookieJar jar;
    uint64_t now = 100 * S;
    for (const auto& src : {v4(0xC6336402, 33000), v6(2, 33000)}) {
        Cookie c;
        ASSERT_TRUE(jar.cookie_for(src, now, c));
        const auto init = stamped(c, now);
        EXPECT_TRUE(verifies(jar, src, init, now));
        EXPECT_FALSE(verifies(jar, v4(0xC6336403, 33000), init, now));  // another address
        EXPECT_FALSE(verifies(jar, v4(0xC6336402, 33001), init, now));  // another port
        EXPECT_FALSE(verifies(jar, v6(3, 33000), init, now));
        auto tampered = init;
        tampered[20] ^= 1;  // the MAC covers the message
        EXPECT_FALSE(verifies(jar, src, tampered, now));
    }
}

TEST(HandshakeCookie, SurvivesOneSecretRotationNotTwo) {
    CookieJar jar;
    const auto src = v4(0xC6336402, 33000);
    uint64_t now = 100 * S;
    Cookie c;
    ASSERT_TRUE(jar.cookie_for(src, now, c));
    const auto init = stamped(c, now);
    now += wire::kCookieSecretLife + S;
    EXPECT_TRUE(verifies(jar, src, init, now));  // the previous secret still counts
    now += wire::kCookieSecretLife + S;
    EXPECT_FALSE(verifies(jar, src, init, now));
}

TEST(HandshakeCookie, InitiatorStampsOnlyWhileTheCookieIsFresh) {
    Cookie c;
    c.fill(7);
    ReceivedCookie rc;
    std::array<uint8_t, wire::kInitSize> init{};
    uint64_t now = 100 * S;
    rc.stamp(init, now);  // no cookie yet: zeros
    EXPECT_EQ(init[wire::kInitCookieOffset], 0);
    rc.set(c, now);
    EXPECT_TRUE(rc.fresh(now + wire::kCookieUseFor - 1));
    EXPECT_FALSE(rc.fresh(now + wire::kCookieUseFor));
    rc.stamp(init, now + wire::kCookieUseFor);
    EXPECT_EQ(std::count(init.begin(), init.end(), 0), static_cast<long>(init.size()));
    rc.stamp(init, now);
    EXPECT_NE(std::count(init.begin() + wire::kInitCookieOffset, init.end(), 0), static_cast<long>(wire::kCookieMacSize));
}

}  // namespace
}  // namespace tvpn
