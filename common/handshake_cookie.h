// Cookies, as in WireGuard's cookie.c but in the clear: when the responder is
// under load (answers went unconfirmed, or the source is over its rate; see
// handshake_admission.h), an Init that does not prove its source gets a
// CookieReply instead of an answer. The cookie is a
// MAC of the source address under a secret that changes every 2 minutes; the
// initiator repeats its Init with a MAC under that cookie. Someone who only
// spoofs the peer's address never sees the cookie, so it cannot spend the
// answers meant for the real peer (docs/PROTOCOL.md, "Denial of service and
// online guessing").
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>

#include "common/crypto/secret.h"
#include "common/secure_wire.h"

namespace tvpn {

using Cookie = std::array<uint8_t, wire::kCookieSize>;

// Responder side: the rotating secret.
class CookieJar {
public:
    CookieJar();
    // The cookie for `src` now; false on an OpenSSL failure.
    bool cookie_for(const sockaddr_storage& src, uint64_t now, Cookie& out);
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

// Initiator side: the last cookie the peer gave us.
class ReceivedCookie {
public:
    void set(std::span<const uint8_t, wire::kCookieSize> cookie, uint64_t now);
    bool fresh(uint64_t now) const { return set_ns_ != 0 && now - set_ns_ < wire::kCookieUseFor; }
    // Fills the Init's cookie MAC when the cookie is fresh (else leaves zeros).
    void stamp(std::span<uint8_t, wire::kInitSize> init, uint64_t now) const;

private:
    Cookie cookie_{};
    uint64_t set_ns_ = 0;
};

// HMAC-SHA256(cookie, msg) cut to 16 bytes.
bool cookie_mac(std::span<const uint8_t, wire::kCookieSize> cookie, std::span<const uint8_t> msg,
                std::span<uint8_t, wire::kCookieMacSize> out);

}  // namespace tvpn
