// HKDF-SHA256 (RFC 5869) and HMAC-SHA256, through OpenSSL EVP.
#pragma once

#include <cstdint>
#include <span>

namespace tvpn::crypto {

// Fills `out` (at most 255*32 bytes). False on an OpenSSL failure.
bool hkdf_sha256(std::span<const uint8_t> salt, std::span<const uint8_t> ikm, std::span<const uint8_t> info,
                 std::span<uint8_t> out);
// Split steps, for key schedules that extract once and expand many times.
bool hkdf_sha256_extract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm, std::span<uint8_t, 32> prk);
bool hkdf_sha256_expand(std::span<const uint8_t, 32> prk, std::span<const uint8_t> info, std::span<uint8_t> out);
bool hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data, std::span<uint8_t, 32> mac);
bool sha256(std::span<const uint8_t> data, std::span<uint8_t, 32> digest);
// Constant-time comparison.
bool equal_ct(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace tvpn::crypto
