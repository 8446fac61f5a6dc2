// Which -pwd passwords vnddvpnd refuses at start-up, before anything is set
// up: one that also protects a -cipher des tunnel (DES gives it away to
// anyone who records that tunnel), and one too weak to survive a year of
// online guessing at the most the -pwd protocol allows (unless -weak-pwd-ok).
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/crypto/secret.h"
#include "common/result.h"
#include "common/pwd/secure_wire.h"
#include "vnddvpnd/options.h"

namespace tvpn {

// The most password guesses an attacker gets in a year against both ends of
// one -pwd tunnel: the guess budget's bound (common/pwd/secure_wire.h, PROTOCOL.md).
inline constexpr uint64_t kMaxGuessesPerYear = wire::kMaxGuessesPerYear;

// Strong enough: zxcvbn's estimate of the guesses needed, 2^bits, is at least
// 2^20 times a year's worth, so a year of guessing at the maximum rate finds
// the password with a chance of at most 1 in 2^20 (about one in a million).
inline constexpr int kGuessMarginBits = 20;
inline constexpr int kMinPasswordBits = std::bit_width(kMaxGuessesPerYear - 1) + kGuessMarginBits;  // ceil(log2)
// README.md and docs/vnddvpnd.8 name this number: change them with it.
static_assert(kMinPasswordBits == 37, "update the 37 bits in README.md, docs/vnddvpnd.8 and the usage");

// zxcvbn's estimate of log2(guesses) for `password`; `words` (interface names
// and the like) count as especially easy to guess. NaN when libzxcvbn cannot be
// loaded (it is loaded for the call and unloaded after it).
double password_strength_bits(const crypto::Secret& password, std::span<const std::string> words);

// An error for a refused password, else the warnings to log (weak passwords
// accepted with -weak-pwd-ok). Never says anything about a password but its
// tunnel's name and, when refused, its estimated strength.
Result<std::vector<std::string>> check_passwords(const DaemonOptions& opts);

}  // namespace tvpn
