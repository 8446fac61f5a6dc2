// Single DES in ECB mode, for the legacy `-cipher des` format only (insecure:
// 56-bit key, no integrity). Uses OpenSSL's legacy provider in a library
// context of its own, so the process-wide default context is not changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"

namespace tvpn::crypto {

constexpr size_t kDesBlockSize = 8;
constexpr size_t kDesKeySize = 8;

// The original TVPN key: the password's first 8 bytes, zero-padded, each byte
// given odd parity in its low bit (as DES_set_odd_parity / des_setparity).
void des_key_from_password(std::span<const uint8_t> password, std::span<uint8_t, kDesKeySize> key);

class DesEcb {
public:
    // An error when the legacy provider is not available.
    static Result<std::unique_ptr<DesEcb>> create(std::span<const uint8_t, kDesKeySize> key);
    ~DesEcb();
    DesEcb(const DesEcb&) = delete;
    DesEcb& operator=(const DesEcb&) = delete;
    // In place; `data` must be a multiple of 8 bytes. No allocation.
    bool encrypt(std::span<uint8_t> data);
    bool decrypt(std::span<uint8_t> data);

private:
    struct Impl;
    explicit DesEcb(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tvpn::crypto
