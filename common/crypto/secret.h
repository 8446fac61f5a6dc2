// Secret bytes (passwords, keys, shared secrets) that are wiped when they go
// away (OPENSSL_cleanse) and are never copied implicitly. The size is fixed at
// construction, so the buffer is never reallocated (no stray copies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tvpn::crypto {

class Secret {
public:
    Secret() = default;
    explicit Secret(size_t size);
    explicit Secret(std::span<const uint8_t> bytes);
    static Secret from_string(std::string_view text);
    ~Secret();
    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;

    uint8_t* data() { return bytes_.data(); }
    const uint8_t* data() const { return bytes_.data(); }
    size_t size() const { return bytes_.size(); }
    bool empty() const { return bytes_.empty(); }
    std::span<uint8_t> span() { return bytes_; }
    std::span<const uint8_t> span() const { return bytes_; }
    void wipe();  // zeroes and empties

private:
    std::vector<uint8_t> bytes_;
};

// Zeroes memory in a way the compiler may not remove.
void wipe(void* p, size_t n);
// Wipes a string's characters in place (passwords from the command line).
void wipe_string(std::string& s);
// Zeroes the stack below the caller (kStackWipeBytes of it): what a library
// that saw a secret (zxcvbn, the key derivation) left in its dead frames.
constexpr size_t kStackWipeBytes = 256 * 1024;
void wipe_stack();

}  // namespace tvpn::crypto
