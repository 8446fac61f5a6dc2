#include "common/crypto/random_password.h"

#include "common/crypto/hkdf.h"

namespace tvpn::crypto {

namespace {
constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
static_assert(sizeof kAlphabet - 1 == 32, "5 bits per character");
}  // namespace

std::optional<Secret> random_password() {
    Secret raw(kRandomPasswordChars);
    if (!random_bytes(raw.span())) return std::nullopt;
    const size_t groups = kRandomPasswordChars / kRandomPasswordGroup;
    Secret out(kRandomPasswordChars + groups - 1);
    size_t at = 0;
    for (size_t i = 0; i < kRandomPasswordChars; ++i) {
        if (i && i % kRandomPasswordGroup == 0) out.data()[at++] = '-';
        out.data()[at++] = static_cast<uint8_t>(kAlphabet[raw.data()[i] & 31]);  // 256 is a multiple of 32: unbiased
    }
    return out;
}

}  // namespace tvpn::crypto
