// FragmentReassembly fed pieces an authenticated but hostile peer chooses:
// any header, any length, any order, any timing. Memory stays bounded, every
// completed frame has its announced length, and a frame whose pieces all
// came from one known source frame is that frame, byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/pwd/fragment_reassembly.h"

using namespace tvpn;

namespace {

uint8_t source_byte(uint32_t id, size_t i) { return static_cast<uint8_t>(id * 31 + i * 7); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FragmentReassembly r;
    uint64_t now = 0;
    std::vector<uint8_t> piece;
    // Each record: session(1) id(1) total(2) offset(2) len(2) dt(1) = 9 bytes.
    for (size_t at = 0; at + 9 <= size; at += 9) {
        const uint8_t* p = data + at;
        FragmentHeader h{p[1], static_cast<uint16_t>(p[2] | p[3] << 8), static_cast<uint16_t>(p[4] | p[5] << 8)};
        const size_t len = (p[6] | p[7] << 8) % (kMaxReassembled + 64);
        now += uint64_t{p[8]} * 50'000'000;
        piece.resize(len);
        for (size_t i = 0; i < len; ++i) piece[i] = source_byte(h.frame_id, size_t{h.offset} + i);
        std::span<const uint8_t> frame;
        const auto added = r.add(p[0] & 3, h, piece, now, frame);
        if (r.in_flight() > FragmentReassembly::kSlots) std::abort();
        if (added == FragmentReassembly::Added::Complete) {
            if (frame.size() != h.total_len) std::abort();
            for (size_t i = 0; i < frame.size(); ++i)
                if (frame[i] != source_byte(h.frame_id, i)) std::abort();
        }
        if (p[8] & 1) r.expire(now);
    }
    return 0;
}
