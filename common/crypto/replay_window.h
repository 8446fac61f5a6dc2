// Anti-replay sliding window (RFC 6479): accepts each counter at most once and
// tolerates reordering within the window. Check before decrypting (cheap
// reject), commit only after the datagram authenticated.
#pragma once

#include <array>
#include <cstdint>

namespace tvpn::crypto {

class ReplayWindow {
public:
    static constexpr uint64_t kBlockBits = 64;
    static constexpr uint64_t kBlocks = 128;                             // 8192 bits of bitmap
    static constexpr uint64_t kWindowSize = (kBlocks - 1) * kBlockBits;  // 8128 counters accepted up to the newest

    // `limit`: counters >= limit are always rejected (the sender never uses them).
    explicit ReplayWindow(uint64_t limit = UINT64_MAX) : limit_(limit) {}

    // True if `counter` is not a replay and not too old (does not change state).
    bool check(uint64_t counter) const;
    // Records `counter` (call after authentication); false if it was a replay.
    bool commit(uint64_t counter);
    void reset();
    // The newest counter committed (0 when none).
    uint64_t newest() const { return newest_; }

private:
    uint64_t limit_;
    uint64_t newest_ = 0;
    bool any_ = false;
    std::array<uint64_t, kBlocks> bitmap_{};
};

}  // namespace tvpn::crypto
