// The Internet checksum against a reference that sums 16-bit big-endian
// words one at a time (RFC 1071), for every length and start sum the fast
// path's 32-byte blocks, 4-byte words and odd tails can meet.
#include "common/datapath/checksum.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace tvpn {
namespace {

// RFC 1071 on big-endian words, folded and complemented: the header value in network order.
uint16_t reference_checksum(uint32_t start, const std::vector<uint8_t>& data) {
    uint64_t sum = start;
    for (size_t i = 0; i < data.size(); i += 2) {
        uint32_t hi = data[i], lo = i + 1 < data.size() ? data[i + 1] : 0;
        sum += hi << 8 | lo;
    }
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    uint16_t host = static_cast<uint16_t>(~sum);
    return static_cast<uint16_t>(host >> 8 | host << 8);  // as stored: big-endian bytes
}

// The same start value as checksum_add sees it: a sum of words as they lie in memory.
uint64_t memory_order(uint16_t big_endian_word) {
    return static_cast<uint16_t>(big_endian_word >> 8 | big_endian_word << 8);
}

TEST(Checksum, MatchesRfc1071ForEveryLengthUpTo300Bytes) {
    std::mt19937 rng(7);
    for (size_t len = 0; len <= 300; ++len) {
        std::vector<uint8_t> data(len);
        for (auto& b : data) b = static_cast<uint8_t>(rng());
        const uint16_t start = static_cast<uint16_t>(rng());
        EXPECT_EQ(checksum_finish(checksum_add(memory_order(start), data)), reference_checksum(start, data))
            << "length " << len;
    }
}

TEST(Checksum, CarriesOutOfSixtyFourBitsAreNotLost) {
    // All-ones words make the 64-bit accumulator overflow on almost every add.
    std::vector<uint8_t> data(64 * 1024, 0xff);
    data[5] = 0x12;
    EXPECT_EQ(checksum_finish(checksum_add(0, data)), reference_checksum(0, data));
    // A start sum near 2^64 (a caller's unfolded accumulation) wraps at once.
    const uint64_t big = ~uint64_t{0} - 3;
    uint64_t folded = big;
    while (folded >> 16) folded = (folded & 0xffff) + (folded >> 16);
    EXPECT_EQ(checksum_finish(checksum_add(big, data)), checksum_finish(checksum_add(folded, data)));
}

TEST(Checksum, AFrameSummedInPiecesEqualsItSummedWhole) {
    std::vector<uint8_t> data(1514);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 131 + 7);
    const std::span<const uint8_t> all(data);
    // Pieces of even length keep the 16-bit word boundaries.
    uint64_t sum = checksum_add(0, all.first(34));
    sum = checksum_add(sum, all.subspan(34, 100));
    sum = checksum_add(sum, all.subspan(134));
    EXPECT_EQ(checksum_finish(sum), checksum_finish(checksum_add(0, all)));
}

}  // namespace
}  // namespace tvpn
