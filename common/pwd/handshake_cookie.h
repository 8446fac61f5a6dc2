// Cookies, as in WireGuard's cookie.c but in the clear: when the responder is
// under load (answers went unconfirmed, or the source is over its rate; see
// handshake_admission.h), an Init that does not prove its source gets a
// CookieReply instead of an answer. The cookie is a
// MAC of the source address under a secret that changes every 2 minutes; the
// initiator repeats its Init with a MAC under that cookie. Someone who only
// spoofs the peer's address never sees the cookie, so it cannot spend the
// answers meant for the real peer (docs/PROTOCOL.md, "Denial of service and
// online guessing"). A CookieReply names the exact Init it answers by a
// digest, but nothing authenticates it (that would take a key from the
// password, an offline guessing oracle), so the initiator bounds its effect:
// one retry per handshake, never a reply to an Init that proves a session,
// and a new cookie never replaces one that worked.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>

#include "common/crypto/secret.h"
#include "common/pwd/secure_wire.h"

namespace tvpn {

using Cookie = std::array<uint8_t, wire::kCookieSize>;

// Responder side: the rotating secret.
class CookieJar {
public:
    CookieJar();
    // The cookie for `src` now; false on an OpenSSL failure.
    [[nodiscard]] bool cookie_for(const sockaddr_storage& src, uint64_t now, Cookie& out);
    // Whether `mac` is the cookie MAC of `msg` under a cookie we gave `src`
    // (with the current or the previous secret).
    bool verify(const sockaddr_storage& src, std::span<const uint8_t> msg,
                std::span<const uint8_t, wire::kCookieMacSize> mac, uint64_t now);

private:
    void rotate(uint64_t now);
    crypto::Secret current_, previous_;
    uint64_t rotated_ns_ = 0;
    bool started_ = false;
};

// Initiator side: the cookies the peer gave us, each used for
// wire::kCookieUseFor after it came. The latest one (from an unauthenticated
// CookieReply: maybe forged), and the last one that was on an Init the peer
// answered (it worked).
class ReceivedCookie {
public:
    struct Entry {
        Cookie cookie{};
        uint64_t received_ns = 0;
        bool fresh(uint64_t now) const { return received_ns != 0 && now - received_ns < wire::kCookieUseFor; }
    };
    void received(std::span<const uint8_t, wire::kCookieSize> cookie, uint64_t now);
    // The peer answered an Init stamped with `e`: keep it (unless a newer one worked already).
    void worked(const Entry& e);
    // For a new Init: the cookie that worked while it is fresh, else the
    // latest while fresh, else none (nullptr).
    const Entry* for_init(uint64_t now) const;

private:
    Entry latest_, worked_;
};

// HMAC-SHA256(cookie, msg) cut to 16 bytes.
[[nodiscard]] bool cookie_mac(std::span<const uint8_t, wire::kCookieSize> cookie, std::span<const uint8_t> msg,
                              std::span<uint8_t, wire::kCookieMacSize> out);
// Fills the Init's cookie MAC; on an OpenSSL failure it stays zero (no cookie) and false.
bool stamp_init(std::span<uint8_t, wire::kInitSize> init, const Cookie& cookie);
// What a CookieReply carries to name the Init it answers: SHA-256 of the
// whole Init (its cookie MAC included) cut to 16 bytes.
[[nodiscard]] bool init_digest(std::span<const uint8_t, wire::kInitSize> init,
                               std::span<uint8_t, wire::kInitDigestSize> out);

}  // namespace tvpn
