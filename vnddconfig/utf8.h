// UTF-8 checks for the machine-readable outputs: JSON and the Prometheus
// format both require valid UTF-8, and an interface name may hold any byte
// above 0x20 (the kernel's rule), valid UTF-8 or not.
#pragma once

#include <cstddef>
#include <string_view>

namespace tvpn {

// The length of the valid UTF-8 sequence that starts text[i] (1 to 4), or 0
// when none does (a stray continuation byte, an overlong form, a surrogate,
// a code point over U+10FFFF, a cut sequence).
size_t utf8_sequence_length(std::string_view text, size_t i);

// U+FFFD, what an invalid byte becomes.
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

}  // namespace tvpn
