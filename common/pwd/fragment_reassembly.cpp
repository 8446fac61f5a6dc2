#include "common/pwd/fragment_reassembly.h"

#include <cstring>

namespace tvpn {
namespace {

size_t units(size_t bytes) { return (bytes + kFragmentUnit - 1) / kFragmentUnit; }

// A piece that can belong to a frame of `total_len`: inside it, aligned, and
// a whole number of units unless it is the last one.
bool piece_fits(const FragmentHeader& h, size_t len) {
    if (h.total_len < kMinReassembled || h.total_len > kMaxReassembled || len == 0) return false;
    if (h.offset % kFragmentUnit != 0 || size_t{h.offset} + len > h.total_len) return false;
    const bool last = size_t{h.offset} + len == h.total_len;
    return last || len % kFragmentUnit == 0;
}

}  // namespace

FragmentReassembly::FragmentReassembly() : storage_(new uint8_t[kSlots * kMaxReassembled]) {
    for (size_t i = 0; i < kSlots; ++i) slots_[i].bytes = storage_.get() + i * kMaxReassembled;
}

size_t FragmentReassembly::in_flight() const {
    size_t n = 0;
    for (const Slot& s : slots_) n += s.used;
    return n;
}

void FragmentReassembly::release(Slot& s) {
    s.used = false;
    s.have.fill(0);
    s.units_held = 0;
}

// The slot collecting this frame; else a free one, else the oldest (its
// frame is given up).
FragmentReassembly::Slot* FragmentReassembly::slot_for(uint32_t session, const FragmentHeader& h, uint64_t now_ns) {
    Slot* free = nullptr;
    Slot* oldest = &slots_[0];
    for (Slot& s : slots_) {
        if (s.used && s.session == session && s.frame_id == h.frame_id) return &s;
        if (!s.used && !free) free = &s;
        if (s.used && (!oldest->used || s.started_ns < oldest->started_ns)) oldest = &s;
    }
    Slot* s = free;
    if (!s) {
        ++stats_.evicted;
        release(*oldest);
        s = oldest;
    }
    s->used = true;
    s->session = session;
    s->frame_id = h.frame_id;
    s->total_len = h.total_len;
    s->started_ns = now_ns;
    return s;
}

bool FragmentReassembly::overlaps(const Slot& s, size_t first, size_t count) const {
    for (size_t u = first; u < first + count; ++u)
        if (s.have[u / 64] >> (u % 64) & 1) return true;
    return false;
}

FragmentReassembly::Added FragmentReassembly::add(uint32_t session, const FragmentHeader& h,
                                                  std::span<const uint8_t> piece, uint64_t now_ns,
                                                  std::span<const uint8_t>& frame) {
    if (!piece_fits(h, piece.size())) {
        ++stats_.malformed;
        return Added::Dropped;
    }
    Slot& s = *slot_for(session, h, now_ns);
    if (s.total_len != h.total_len) {  // the same frame cannot have two lengths
        ++stats_.malformed;
        return Added::Dropped;
    }
    const size_t first = h.offset / kFragmentUnit, count = units(piece.size());
    if (overlaps(s, first, count)) {
        ++stats_.duplicates;
        return Added::Dropped;
    }
    std::memcpy(s.bytes + h.offset, piece.data(), piece.size());
    for (size_t u = first; u < first + count; ++u) s.have[u / 64] |= uint64_t{1} << (u % 64);
    s.units_held = static_cast<uint16_t>(s.units_held + count);
    if (s.units_held < units(s.total_len)) return Added::Incomplete;
    frame = {s.bytes, s.total_len};
    ++stats_.completed;
    release(s);  // the bytes stay valid until the next add
    return Added::Complete;
}

void FragmentReassembly::expire(uint64_t now_ns) {
    for (Slot& s : slots_)
        if (s.used && now_ns - s.started_ns > kTimeout) {
            ++stats_.timed_out;
            release(s);
        }
}

}  // namespace tvpn
