// SPAKE2 (RFC 9382) over P-256 with SHA-256, HKDF and HMAC, using OpenSSL's
// EC_POINT API. Generic in the two points M and N so that the RFC's
// test vectors (M != N) and TVPN's symmetric mode (M == N, roles
// interchangeable, transcript ordered by the shares) share one implementation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/crypto/secret.h"

namespace tvpn::crypto {

constexpr size_t kSpake2ShareSize = 65;  // uncompressed P-256 point

// The password scalar w, derived once at start-up (memory-hard: scrypt) from
// the password; wiped on destruction.
struct Spake2Password {
    Secret w;  // big-endian scalar mod p, 32 bytes
};
std::optional<Spake2Password> spake2_password_from(std::span<const uint8_t> password);
// For test vectors: w given directly.
Spake2Password spake2_password_raw(std::span<const uint8_t> w);

enum class Spake2Role { A, B, Symmetric };

// One run of the protocol; ephemeral scalar wiped on destruction.
class Spake2 {
public:
    // `ephemeral` empty: random x (production); tests pass the RFC's x or y.
    static std::unique_ptr<Spake2> start(Spake2Role role, const Spake2Password& pw,
                                         std::span<const uint8_t> identity_a, std::span<const uint8_t> identity_b,
                                         std::span<const uint8_t> ephemeral = {});
    ~Spake2();
    // Our share (pA or pB), to send.
    std::span<const uint8_t, kSpake2ShareSize> share() const;
    // Processes the peer's share; rejects invalid points and the identity.
    // Fills Ke (the shared secret for the key schedule), and the two
    // confirmation keys; false on an invalid share.
    struct Keys {
        Secret ke;            // 16 bytes for RFC's SHA-256 suite (Hash output half)
        Secret kc_ours;       // our confirmation key (KcA if we are A)
        Secret kc_theirs;
        std::vector<uint8_t> transcript_hash;  // SHA-256(TT)
    };
    std::optional<Keys> finish(std::span<const uint8_t> peer_share);
    // HMAC(Kc, TT) confirmation messages, RFC 9382 section 4.
    static bool confirmation(const Secret& kc, std::span<const uint8_t> transcript_hash,
                             std::span<uint8_t, 32> out);

private:
    struct Impl;
    explicit Spake2(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tvpn::crypto
