#include "common/datapath/checksum.h"

#include <cstring>

namespace tvpn {

uint64_t checksum_add(uint64_t sum, std::span<const uint8_t> data) {
    const uint8_t* p = data.data();
    size_t n = data.size();
    // 64 bits at a time with the carries counted apart: a carry out of bit 63
    // is 2^64, which is 1 modulo 2^16 - 1, so it is added back as 1. Twice
    // as fast as 32-bit words, and every TCP segment the daemon splits off a
    // super-frame or coalesces is summed once (issue 14's profile: ~10% of
    // the daemon's cycles). Byte order: as in memory; the sum is order-independent.
    uint64_t carries = 0;
    while (n >= 32) {
        uint64_t w[4];
        std::memcpy(w, p, sizeof w);
        for (uint64_t v : w) {
            sum += v;
            carries += sum < v;
        }
        p += 32;
        n -= 32;
    }
    sum = (sum & 0xffffffffu) + (sum >> 32) + carries;  // below 2^34: room for the tail
    // Then 32 bits at a time into the 64-bit accumulator.
    while (n >= 4) {
        uint32_t w;
        std::memcpy(&w, p, 4);
        sum += w;
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        uint16_t w;
        std::memcpy(&w, p, 2);
        sum += w;
        p += 2;
        n -= 2;
    }
    if (n) {
        uint8_t last[2] = {*p, 0};
        uint16_t w;
        std::memcpy(&w, last, 2);
        sum += w;
    }
    return sum;
}

uint16_t checksum_finish(uint64_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    // Summed in host order over memory, so the result is in network order already.
    return static_cast<uint16_t>(~sum & 0xffff);
}

static uint64_t length_and_proto(uint8_t proto, uint32_t length) {
    uint8_t words[8] = {static_cast<uint8_t>(length >> 24), static_cast<uint8_t>(length >> 16),
                        static_cast<uint8_t>(length >> 8),  static_cast<uint8_t>(length),
                        0, 0, 0, proto};
    return checksum_add(0, words);
}

uint64_t pseudo_header_v4(const uint8_t* src, const uint8_t* dst, uint8_t proto, uint32_t length) {
    uint64_t sum = checksum_add(0, {src, 4});
    sum = checksum_add(sum, {dst, 4});
    return sum + length_and_proto(proto, length);
}

uint64_t pseudo_header_v6(const uint8_t* src, const uint8_t* dst, uint8_t proto, uint32_t length) {
    uint64_t sum = checksum_add(0, {src, 16});
    sum = checksum_add(sum, {dst, 16});
    return sum + length_and_proto(proto, length);
}

uint16_t checksum_update16(uint16_t stored, uint16_t old_word, uint16_t new_word) {
    // Words as they lie in memory; one's-complement sums are byte-order independent.
    uint64_t sum = static_cast<uint16_t>(~stored);
    sum += static_cast<uint16_t>(~old_word);
    sum += new_word;
    return checksum_finish(sum);
}

}  // namespace tvpn
