// HKDF-SHA256 (RFC 5869), HMAC-SHA256 and SHA-256, through OpenSSL EVP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tvpn::crypto {

constexpr size_t kSha256Size = 32;

// Fills `out` (at most 255*32 bytes). False on an OpenSSL failure.
[[nodiscard]] bool hkdf_sha256(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                               std::span<const uint8_t> info, std::span<uint8_t> out);
// Split steps, for key schedules that extract once and expand many times.
[[nodiscard]] bool hkdf_sha256_extract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                                       std::span<uint8_t, kSha256Size> prk);
[[nodiscard]] bool hkdf_sha256_expand(std::span<const uint8_t, kSha256Size> prk, std::span<const uint8_t> info,
                                      std::span<uint8_t> out);
[[nodiscard]] bool hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data,
                               std::span<uint8_t, kSha256Size> mac);
[[nodiscard]] bool sha256(std::span<const uint8_t> data, std::span<uint8_t, kSha256Size> digest);
// Constant-time comparison; false when the lengths differ.
bool equal_ct(std::span<const uint8_t> a, std::span<const uint8_t> b);
// Fills `out` from OpenSSL's CSPRNG; false if it failed (then `out` is not random).
[[nodiscard]] bool random_bytes(std::span<uint8_t> out);

}  // namespace tvpn::crypto
