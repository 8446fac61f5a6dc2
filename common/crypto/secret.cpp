#include "common/crypto/secret.h"

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

namespace tvpn::crypto {

void wipe(void* p, size_t n) {
    if (p && n) OPENSSL_cleanse(p, n);
}

void wipe_string(std::string& s) {
    wipe(s.data(), s.size());
    s.clear();
}

// Not inlined, so its frame lies below the caller's, where the dead frames
// of the functions the caller called were.
[[gnu::noinline]] void wipe_stack() {
    unsigned char below[kStackWipeBytes];
    OPENSSL_cleanse(below, sizeof below);
    asm volatile("" : : "r"(below) : "memory");
}

Secret::Secret(size_t size) : bytes_(size, 0) {}

Secret::Secret(std::span<const uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}

Secret Secret::from_string(std::string_view text) {
    Secret s(text.size());
    if (!text.empty()) std::memcpy(s.data(), text.data(), text.size());
    return s;
}

Secret::~Secret() { wipe(); }

Secret::Secret(Secret&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
        other.bytes_.clear();
    }
    return *this;
}

void Secret::wipe() {
    crypto::wipe(bytes_.data(), bytes_.size());
    bytes_.clear();
}

}  // namespace tvpn::crypto
