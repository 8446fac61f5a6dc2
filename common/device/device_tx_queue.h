// Frames for one device gathered over a receive burst and written with
// Device::write_batch: one system call for many frames on a device that
// batches (see Device::batches). Fixed storage, no allocation; the frames'
// bytes are the caller's and must stay valid until flush().
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "common/device/device.h"

namespace tvpn {

struct TxFlushOutcome {
    size_t written = 0;  // frames the device took
    size_t dropped = 0;  // frames refused or lost with a failing device
    int err = 0;         // errno of the last failed write (0: none failed)
};

class DeviceTxQueue {
public:
    bool empty() const { return n_ == 0; }
    bool full() const { return n_ == frames_.size(); }
    size_t size() const { return n_; }
    // Queues a frame; only when !full().
    void add(std::span<const uint8_t> frame, const OffloadHeader& h) { frames_[n_++] = TxFrame{frame, h}; }
    // Writes every queued frame in order and empties the queue. A frame the
    // device refuses (bad metadata, too large) is dropped alone; when the
    // device fails or is full, the rest of the queue is dropped.
    TxFlushOutcome flush(Device& dev);

private:
    std::array<TxFrame, kDeviceBatchMax> frames_{};
    size_t n_ = 0;
};

}  // namespace tvpn
