// A strong random password for -pwd / PasswordFile (vnddconfig genpsk):
// 24 characters from a 32-letter alphabet without look-alikes (no l, o, 0,
// 1), 120 bits, in groups of four for reading it out: far beyond what the
// weak-password check asks (vnddvpnd/password_policy.h).
#pragma once

#include <optional>

#include "common/crypto/secret.h"

namespace tvpn::crypto {

constexpr size_t kRandomPasswordChars = 24;  // 5 bits each
constexpr size_t kRandomPasswordGroup = 4;

// nullopt when the random generator fails.
std::optional<Secret> random_password();

}  // namespace tvpn::crypto
