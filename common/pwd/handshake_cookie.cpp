#include "common/pwd/handshake_cookie.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "common/crypto/hkdf.h"

namespace tvpn {
namespace {

constexpr size_t kSecretSize = crypto::kSha256Size;

// family | port | address: what the cookie binds to.
size_t source_bytes(const sockaddr_storage& src, uint8_t (&out)[1 + 2 + 16]) {
    out[0] = static_cast<uint8_t>(src.ss_family);
    if (src.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&src);
        std::memcpy(out + 1, &in6->sin6_port, 2);
        std::memcpy(out + 3, &in6->sin6_addr, 16);
        return 19;
    }
    const auto* in = reinterpret_cast<const sockaddr_in*>(&src);
    std::memcpy(out + 1, &in->sin_port, 2);
    std::memcpy(out + 3, &in->sin_addr, 4);
    return 7;
}

bool make_cookie(const crypto::Secret& secret, const sockaddr_storage& src, Cookie& out) {
    uint8_t addr[19];
    const size_t n = source_bytes(src, addr);
    uint8_t mac[crypto::kSha256Size];
    if (!crypto::hmac_sha256(secret.span(), {addr, n}, mac)) return false;
    std::memcpy(out.data(), mac, out.size());
    crypto::wipe(mac, sizeof mac);
    return true;
}

bool matches(const crypto::Secret& secret, const sockaddr_storage& src, std::span<const uint8_t> msg,
             std::span<const uint8_t, wire::kCookieMacSize> mac) {
    Cookie cookie;
    uint8_t expect[wire::kCookieMacSize];
    const bool ok = !secret.empty() && make_cookie(secret, src, cookie) && cookie_mac(cookie, msg, expect) &&
                    crypto::equal_ct(expect, mac);
    crypto::wipe(cookie.data(), cookie.size());
    return ok;
}

}  // namespace

bool cookie_mac(std::span<const uint8_t, wire::kCookieSize> cookie, std::span<const uint8_t> msg,
                std::span<uint8_t, wire::kCookieMacSize> out) {
    uint8_t mac[crypto::kSha256Size];
    if (!crypto::hmac_sha256(cookie, msg, mac)) return false;
    std::memcpy(out.data(), mac, out.size());
    return true;
}

CookieJar::CookieJar() : current_(kSecretSize) {}

void CookieJar::rotate(uint64_t now) {
    if (started_ && now - rotated_ns_ < wire::kCookieSecretLife) return;
    // After a long quiet spell the previous secret is too old to honour.
    const bool keep_previous = started_ && now - rotated_ns_ < 2 * wire::kCookieSecretLife;
    previous_ = keep_previous ? std::move(current_) : crypto::Secret();
    current_ = crypto::Secret(kSecretSize);
    if (!crypto::random_bytes(current_.span())) current_ = crypto::Secret();  // no cookies rather than guessable ones
    rotated_ns_ = now;
    started_ = true;
}

bool CookieJar::cookie_for(const sockaddr_storage& src, uint64_t now, Cookie& out) {
    rotate(now);
    return !current_.empty() && make_cookie(current_, src, out);
}

bool CookieJar::verify(const sockaddr_storage& src, std::span<const uint8_t> msg,
                       std::span<const uint8_t, wire::kCookieMacSize> mac, uint64_t now) {
    rotate(now);
    return matches(current_, src, msg, mac) || matches(previous_, src, msg, mac);
}

void ReceivedCookie::received(std::span<const uint8_t, wire::kCookieSize> cookie, uint64_t now) {
    std::memcpy(latest_.cookie.data(), cookie.data(), latest_.cookie.size());
    latest_.received_ns = now;
}

void ReceivedCookie::worked(const Entry& e) {
    if (e.received_ns >= worked_.received_ns) worked_ = e;
}

const ReceivedCookie::Entry* ReceivedCookie::for_init(uint64_t now) const {
    if (worked_.fresh(now)) return &worked_;
    return latest_.fresh(now) ? &latest_ : nullptr;
}

bool stamp_init(std::span<uint8_t, wire::kInitSize> init, const Cookie& cookie) {
    auto mac = init.subspan<wire::kInitCookieOffset, wire::kCookieMacSize>();
    if (cookie_mac(cookie, init.first<wire::kInitCookieOffset>(), mac)) return true;
    std::fill(mac.begin(), mac.end(), 0);
    return false;
}

bool init_digest(std::span<const uint8_t, wire::kInitSize> init, std::span<uint8_t, wire::kInitDigestSize> out) {
    uint8_t digest[crypto::kSha256Size];
    if (!crypto::sha256(init, digest)) return false;
    std::memcpy(out.data(), digest, out.size());
    return true;
}

}  // namespace tvpn
