#include "common/crypto/replay_window.h"

namespace tvpn::crypto {
namespace {

constexpr uint64_t kRingBits = ReplayWindow::kBlocks * ReplayWindow::kBlockBits;

uint64_t block_of(uint64_t counter) { return (counter / ReplayWindow::kBlockBits) % ReplayWindow::kBlocks; }
uint64_t bit_of(uint64_t counter) { return uint64_t{1} << (counter % ReplayWindow::kBlockBits); }

static_assert((kRingBits & (kRingBits - 1)) == 0, "the ring must be a power of two");

}  // namespace

bool ReplayWindow::check(uint64_t counter) const {
    if (counter >= limit_) return false;
    if (!any_ || counter > newest_) return true;
    if (newest_ - counter > kWindowSize) return false;  // too old: fell out of the window
    return (bitmap_[block_of(counter)] & bit_of(counter)) == 0;
}

bool ReplayWindow::commit(uint64_t counter) {
    if (!check(counter)) return false;
    if (!any_ || counter > newest_) {
        // Clear the blocks the window slides over (at most the whole ring).
        const uint64_t from = any_ ? newest_ / kBlockBits : counter / kBlockBits;
        const uint64_t to = counter / kBlockBits;
        uint64_t steps = to - from;
        if (steps > kBlocks) steps = kBlocks;
        for (uint64_t i = 1; i <= steps; ++i) bitmap_[(from + i) % kBlocks] = 0;
        if (!any_) bitmap_[to % kBlocks] = 0;
        newest_ = counter;
        any_ = true;
    }
    bitmap_[block_of(counter)] |= bit_of(counter);
    return true;
}

void ReplayWindow::reset() {
    newest_ = 0;
    any_ = false;
    bitmap_.fill(0);
}

}  // namespace tvpn::crypto
