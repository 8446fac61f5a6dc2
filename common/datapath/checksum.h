// The Internet checksum (RFC 1071) and the pseudo-header sums TCP and UDP
// use, for frames whose checksums the kernel left for us to complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tvpn {

// One's-complement sum of `data` added to `sum` (not folded).
uint64_t checksum_add(uint64_t sum, std::span<const uint8_t> data);
// Folds a sum to 16 bits and complements it: the value stored in a header.
uint16_t checksum_finish(uint64_t sum);
// Pseudo-header sums; `length` is the L4 length, `proto` IPPROTO_TCP/UDP.
uint64_t pseudo_header_v4(const uint8_t* src, const uint8_t* dst, uint8_t proto, uint32_t length);
// A stored checksum (network order, as in the header) after one 16-bit word
// it covers changed from `old_word` to `new_word` (RFC 1624, eqn. 3).
uint16_t checksum_update16(uint16_t stored, uint16_t old_word, uint16_t new_word);
uint64_t pseudo_header_v6(const uint8_t* src, const uint8_t* dst, uint8_t proto, uint32_t length);

}  // namespace tvpn
