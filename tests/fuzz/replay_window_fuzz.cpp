// ReplayWindow against a model: for any sequence of counters (the order in
// which an attacker may deliver authenticated datagrams) a counter is never
// accepted twice, a counter newer than all before it is always accepted,
// one well inside the window and unseen is accepted, one further back than
// the bitmap is rejected, and check() predicts commit().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "common/crypto/replay_window.h"

using tvpn::crypto::ReplayWindow;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr uint64_t kBitmapBits = ReplayWindow::kBlocks * ReplayWindow::kBlockBits;
    ReplayWindow w;
    std::unordered_set<uint64_t> seen;
    bool any = false;
    uint64_t newest = 0;
    // Each step: 1 byte op, 2 bytes distance. Op picks forward/backward and a scale.
    for (size_t i = 0; i + 3 <= size && seen.size() < 4096; i += 3) {
        const uint8_t op = data[i];
        const uint64_t dist = static_cast<uint64_t>(data[i + 1]) | static_cast<uint64_t>(data[i + 2]) << 8;
        const uint64_t scale = op & 0x40 ? 64 : 1;
        uint64_t c;
        if (op & 0x80) c = newest + dist * scale;                               // ahead (may jump far)
        else c = newest >= dist * scale ? newest - dist * scale : dist * scale;  // behind
        if ((op & 0x3f) == 0x3f) c = UINT64_MAX - dist;                          // near the top
        const bool predicted = w.check(c);
        const bool accepted = w.commit(c);
        if (predicted != accepted) std::abort();
        const bool was_seen = seen.count(c) != 0;
        if (accepted && was_seen) std::abort();                                   // a replay got through
        if (c == UINT64_MAX) {
            if (accepted) std::abort();                                           // the default limit
        } else if (!any || c > newest) {
            if (!accepted) std::abort();                                          // newer must pass
        } else if (!was_seen && newest - c < ReplayWindow::kWindowSize - 64) {
            if (!accepted) std::abort();                                          // reordered, inside the window
        } else if (newest - c >= kBitmapBits) {
            if (accepted) std::abort();                                           // older than the bitmap
        }
        if (accepted) {
            seen.insert(c);
            if (!any || c > newest) newest = c;
            any = true;
        }
        if (w.newest() != newest) std::abort();
    }
    return 0;
}
