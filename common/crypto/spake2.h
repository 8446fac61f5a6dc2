// SPAKE2 (RFC 9382) over P-256 with SHA-256, HKDF-SHA256 and HMAC-SHA256
// (the RFC's SPAKE2-P256-SHA256-HKDF-HMAC suite), with OpenSSL's EC_POINT API.
// Party A uses the RFC's point M, party B the point N; TVPN makes the
// handshake initiator A and the responder B (see docs/PROTOCOL.md).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/crypto/hkdf.h"
#include "common/crypto/secret.h"

namespace tvpn::crypto {

constexpr size_t kSpake2ShareSize = 65;    // uncompressed P-256 point: 0x04 | X | Y
constexpr size_t kSpake2ScalarSize = 32;   // big-endian scalar mod the group order
constexpr size_t kSpake2ConfirmSize = kSha256Size;

// The password scalar w = scrypt(password) mod n, derived once at start-up.
struct Spake2Password {
    Secret w;  // kSpake2ScalarSize bytes, big-endian
};
// scrypt (N=2^15, r=8, p=1, a fixed protocol salt) -> 48 bytes -> mod n.
std::optional<Spake2Password> spake2_password_from(std::span<const uint8_t> password);
// For test vectors and fast tests: w given directly (reduced mod n).
std::optional<Spake2Password> spake2_password_raw(std::span<const uint8_t> w);

// The group and the points M and N, set up once and shared by every run.
class Spake2Curve {
public:
    static std::unique_ptr<Spake2Curve> create();
    ~Spake2Curve();
    Spake2Curve(const Spake2Curve&) = delete;
    Spake2Curve& operator=(const Spake2Curve&) = delete;
    struct Impl;
    const Impl& impl() const { return *impl_; }
    // Whether a peer's share is a usable point (as finish() checks it): no
    // scalar multiplication, so it is cheap enough to do before any budget.
    bool share_valid(std::span<const uint8_t> share) const;

private:
    explicit Spake2Curve(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

enum class Spake2Role { A, B };

// What a completed run yields (RFC 9382 section 4).
struct Spake2Keys {
    Secret ke;                                          // 16 bytes: the shared secret
    std::array<uint8_t, kSpake2ConfirmSize> conf_ours;   // MAC(Kc_ours, TT), to send
    std::array<uint8_t, kSpake2ConfirmSize> conf_theirs; // MAC(Kc_theirs, TT), to expect
};

// One run of the protocol; the ephemeral scalar is wiped on destruction.
class Spake2 {
public:
    // `ephemeral` empty: a random scalar (production); tests pass the RFC's x or y.
    static std::unique_ptr<Spake2> start(const Spake2Curve& curve, Spake2Role role, const Spake2Password& pw,
                                         std::span<const uint8_t> ephemeral = {});
    ~Spake2();
    Spake2(const Spake2&) = delete;
    Spake2& operator=(const Spake2&) = delete;
    // Our share (pA or pB), to send.
    std::span<const uint8_t, kSpake2ShareSize> share() const;
    // Processes the peer's share: rejects points not on the curve, the
    // identity and K = identity. `id_a`, `id_b`: the identities in the
    // transcript (may be empty); `aad` goes into the confirmation keys
    // ("ConfirmationKeys" || AAD). nullopt on an invalid share.
    std::optional<Spake2Keys> finish(std::span<const uint8_t> peer_share, std::span<const uint8_t> id_a,
                                     std::span<const uint8_t> id_b, std::span<const uint8_t> aad = {});
    // For tests: the shared point K (uncompressed) of the last finish().
    std::span<const uint8_t, kSpake2ShareSize> shared_point() const;

private:
    struct Impl;
    explicit Spake2(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tvpn::crypto
