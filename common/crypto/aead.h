// An AEAD key with its OpenSSL contexts created once: seal/open in place with a
// 64-bit counter as the nonce. No allocation per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace tvpn::crypto {

enum class AeadAlg { ChaCha20Poly1305, Aes256Gcm };

constexpr size_t kAeadKeySize = 32;
constexpr size_t kAeadTagSize = 16;
constexpr size_t kAeadNonceSize = 12;

const char* aead_name(AeadAlg alg);

class AeadKey {
public:
    // nullptr on an OpenSSL failure; the key bytes are not kept outside OpenSSL's contexts.
    static std::unique_ptr<AeadKey> create(AeadAlg alg, std::span<const uint8_t, kAeadKeySize> key);
    ~AeadKey();
    AeadKey(const AeadKey&) = delete;
    AeadKey& operator=(const AeadKey&) = delete;

    // Encrypts `data` in place and writes the tag. The 96-bit nonce is
    // 4 zero bytes followed by the little-endian counter (as WireGuard).
    // False on an OpenSSL failure: then data and tag are garbage and must not be sent.
    [[nodiscard]] bool seal(uint64_t counter, std::span<const uint8_t> aad, std::span<uint8_t> data,
                            std::span<uint8_t, kAeadTagSize> tag);
    // Verifies the tag and decrypts in place; false (data unspecified) if forged.
    [[nodiscard]] bool open(uint64_t counter, std::span<const uint8_t> aad, std::span<uint8_t> data,
                            std::span<const uint8_t, kAeadTagSize> tag);

    // Explicit 96-bit nonce, for known-answer tests.
    [[nodiscard]] bool seal_nonce(std::span<const uint8_t, kAeadNonceSize> nonce, std::span<const uint8_t> aad,
                                  std::span<uint8_t> data, std::span<uint8_t, kAeadTagSize> tag);
    [[nodiscard]] bool open_nonce(std::span<const uint8_t, kAeadNonceSize> nonce, std::span<const uint8_t> aad,
                                  std::span<uint8_t> data, std::span<const uint8_t, kAeadTagSize> tag);

    // For tests: the next `n` seals fail as an OpenSSL failure would.
    void fail_seals_for_test(unsigned n);

private:
    struct Impl;
    explicit AeadKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tvpn::crypto
