// Cookies: a cookie MAC verifies only for the address and port the cookie was
// given to, across one secret rotation but not two, and an initiator stamps
// its Init only while the cookie is fresh.
#include "common/pwd/handshake_cookie.h"

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
std::array<uint8_t, wire::kInitSize> stamped(const Cookie& cookie) {
    std::array<uint8_t, wire::kInitSize> init{};
    for (size_t i = 0; i < wire::kInitCookieOffset; ++i) init[i] = static_cast<uint8_t>(i);
    EXPECT_TRUE(stamp_init(init, cookie));
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
        const auto init = stamped(c);
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
    const auto init = stamped(c);
    now += wire::kCookieSecretLife + S;
    EXPECT_TRUE(verifies(jar, src, init, now));  // the previous secret still counts
    now += wire::kCookieSecretLife + S;
    EXPECT_FALSE(verifies(jar, src, init, now));
}

TEST(HandshakeCookie, InitiatorUsesACookieOnlyWhileItIsFresh) {
    Cookie c;
    c.fill(7);
    ReceivedCookie rc;
    uint64_t now = 100 * S;
    EXPECT_EQ(rc.for_init(now), nullptr);  // no cookie yet
    rc.received(c, now);
    ASSERT_NE(rc.for_init(now + wire::kCookieUseFor - 1), nullptr);
    EXPECT_EQ(rc.for_init(now + wire::kCookieUseFor - 1)->cookie, c);
    EXPECT_EQ(rc.for_init(now + wire::kCookieUseFor), nullptr);
}

// A CookieReply is unauthenticated: a cookie received later (maybe forged)
// never takes the place of one that got an Init answered, while that one is fresh.
TEST(HandshakeCookie, ACookieThatWorkedIsNotReplacedByALaterOne) {
    Cookie good, forged;
    good.fill(1);
    forged.fill(2);
    ReceivedCookie rc;
    uint64_t now = 100 * S;
    rc.received(good, now);
    const ReceivedCookie::Entry worked = *rc.for_init(now);
    rc.worked(worked);
    rc.received(forged, now + S);
    EXPECT_EQ(rc.for_init(now + 2 * S)->cookie, good);
    rc.worked(ReceivedCookie::Entry{forged, now - S});  // older than the one that worked: ignored
    EXPECT_EQ(rc.for_init(now + 2 * S)->cookie, good);
    // Once the one that worked is stale, the latest is used while it is fresh.
    EXPECT_EQ(rc.for_init(now + wire::kCookieUseFor)->cookie, forged);
    EXPECT_EQ(rc.for_init(now + S + wire::kCookieUseFor), nullptr);
}

TEST(HandshakeCookie, InitDigestCoversTheWholeInit) {
    std::array<uint8_t, wire::kInitSize> init{};
    std::array<uint8_t, wire::kInitDigestSize> d1, d2;
    ASSERT_TRUE(init_digest(init, d1));
    init[wire::kInitSize - 1] ^= 1;  // the cookie MAC's last byte
    ASSERT_TRUE(init_digest(init, d2));
    EXPECT_NE(d1, d2);
}

}  // namespace
}  // namespace tvpn
