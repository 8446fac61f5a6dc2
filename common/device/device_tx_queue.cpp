#include "common/device/device_tx_queue.h"

#include <cerrno>

namespace tvpn {
namespace {

// Errors that concern one frame only: the frames after it may still go.
bool frame_refused(const IoResult& r) {
    if (r.status == IoStatus::Truncated) return true;
    return r.status == IoStatus::Failed && (r.err == EINVAL || r.err == EMSGSIZE);
}

}  // namespace

TxFlushOutcome DeviceTxQueue::flush(Device& dev) {
    TxFlushOutcome out;
    size_t at = 0;
    while (at < n_) {
        IoResult r = dev.write_batch(std::span<const TxFrame>(frames_.data() + at, n_ - at));
        if (r.status == IoStatus::Ok && r.size > 0) {
            const size_t taken = r.size < n_ - at ? r.size : n_ - at;
            out.written += taken;
            at += taken;
            continue;
        }
        if (r.status == IoStatus::Failed) out.err = r.err;
        const size_t lost = frame_refused(r) ? 1 : n_ - at;
        out.dropped += lost;
        at += lost;
    }
    n_ = 0;
    return out;
}

}  // namespace tvpn
