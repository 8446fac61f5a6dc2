// Receive-side coalescing: consecutive TCP segments of one flow, as they come
// out of the tunnel, are merged into one super-frame that the kernel takes in
// a single write (virtio GSO metadata), instead of one write and one trip
// through the stack per segment. It is what GRO does in a NIC driver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/device/offload.h"

namespace tvpn {

class TcpCoalescer {
public:
    TcpCoalescer();

    // Adds a frame to the pending super-frame (copying it). False when it
    // cannot join: not a plain TCP data segment, another flow, a gap in the
    // sequence, or the super-frame is full or closed. Then take() the pending
    // one and add() again, or send the frame on its own.
    bool add(std::span<const uint8_t> frame);
    bool empty() const { return segments_ == 0; }
    size_t segments() const { return segments_; }

    // The pending frame, ready to write with `h` (a plain frame when only one
    // segment was added), and resets. Valid until the next add().
    std::span<const uint8_t> take(OffloadHeader& h);

private:
    bool start(std::span<const uint8_t> frame);
    bool joins(std::span<const uint8_t> frame, size_t l4, size_t payload_len) const;

    std::unique_ptr<uint8_t[]> buf_;
    size_t len_ = 0;          // bytes in buf_
    size_t l3_ = 0, l4_ = 0, hdr_len_ = 0;
    bool ipv6_ = false;
    bool closed_ = false;     // a short or PSH segment ended the train
    uint16_t gso_size_ = 0;
    uint32_t next_seq_ = 0;
    size_t segments_ = 0;
};

}  // namespace tvpn
