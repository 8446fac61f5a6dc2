// Reassembles frames that the peer cut into fragments to fit the path
// (docs/PROTOCOL.md, "Fragments"). Each fragment arrived sealed and
// replay-checked; this only puts the pieces together. Memory is fixed per
// peer (kSlots frames in flight, allocated at construction): a peer that
// sends pieces of many frames, overlapping pieces or never the last one
// cannot make us hold more; what does not complete in time is dropped and
// counted. No I/O, no clock: time is passed in.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace tvpn {

struct FragmentHeader {
    uint32_t frame_id = 0;   // per sender, counts up
    uint16_t total_len = 0;  // the whole frame
    uint16_t offset = 0;     // of this piece, a multiple of kFragmentUnit
};

constexpr size_t kFragmentUnit = 8;           // pieces but the last are multiples of this
constexpr size_t kMaxReassembled = 9000 + 18;  // interface MTU 9000 plus an Ethernet header with a VLAN tag
constexpr size_t kMinReassembled = 14;

struct ReassemblyStats {
    uint64_t completed = 0;
    uint64_t timed_out = 0;   // incomplete after kTimeout
    uint64_t evicted = 0;     // incomplete, pushed out by newer frames
    uint64_t duplicates = 0;  // a piece overlapping one already held
    uint64_t malformed = 0;   // lengths or offsets that cannot be right
};

class FragmentReassembly {
public:
    static constexpr size_t kSlots = 4;
    static constexpr uint64_t kTimeout = 2'000'000'000;  // ns; pieces of one frame leave back to back

    FragmentReassembly();

    enum class Added { Incomplete, Complete, Dropped };
    // `session` tells sessions apart (pieces of two sessions never mix). On
    // Complete, `frame` points at the whole frame, valid until the next call.
    Added add(uint32_t session, const FragmentHeader& h, std::span<const uint8_t> piece, uint64_t now_ns,
              std::span<const uint8_t>& frame);
    // Drops what is incomplete for longer than kTimeout.
    void expire(uint64_t now_ns);

    const ReassemblyStats& stats() const { return stats_; }
    size_t in_flight() const;

private:
    static constexpr size_t kUnits = (kMaxReassembled + kFragmentUnit - 1) / kFragmentUnit;
    struct Slot {
        bool used = false;
        uint32_t session = 0, frame_id = 0;
        uint16_t total_len = 0;
        uint16_t units_held = 0;
        uint64_t started_ns = 0;
        std::array<uint64_t, (kUnits + 63) / 64> have{};
        uint8_t* bytes = nullptr;
    };
    Slot* slot_for(uint32_t session, const FragmentHeader& h, uint64_t now_ns);
    bool overlaps(const Slot& s, size_t first, size_t count) const;
    void release(Slot& s);

    std::unique_ptr<uint8_t[]> storage_;
    std::array<Slot, kSlots> slots_{};
    ReassemblyStats stats_;
};

}  // namespace tvpn
