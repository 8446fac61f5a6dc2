// Where frames read from an interface wait for the packet path: one queue
// per flow (flow_hash.h), served in turn by deficit round robin, flows that
// just became active first, as the kernel's fq_codel does. Why: the kernel's
// TAP driver never pushes back, so a TCP stream's whole backlog (megabytes)
// used to sit in the TAP ring ahead of every other frame, and a ping crossing
// a busy tunnel waited milliseconds behind it. The daemon now drains the
// ring into this queue and serves it fairly; when it holds too much, it drops
// from the head of the flow holding the most bytes, which tells that TCP
// stream to slow down and costs the other flows nothing.
// Core: no I/O, no clock. Memory is reserved once (its pages are touched
// only as they are used) and nothing is allocated per frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/device/device.h"
#include "common/device/offload.h"

namespace tvpn {

class FairQueue {
public:
    static constexpr size_t kSmallSlot = 2048;  // a frame up to MTU 1500 (and tags)
    static constexpr size_t kLargeSlot = kMaxDeviceFrame + kBatchFrameOverhead;  // a super-frame
    static constexpr size_t kFlows = 1024;
    static constexpr size_t kQuantum = 1514;  // bytes a flow may send per round
    struct Limits {
        size_t bytes = 512 * 1024;  // of frames queued, at most
        size_t small_slots = 512;   // 0: small frames take large slots too
        size_t large_slots = 12;    // at least 1: the next read's buffer
    };
    struct Frame {
        std::span<uint8_t> bytes;
        OffloadHeader hdr;
    };

    explicit FairQueue(uint64_t seed) : FairQueue(seed, Limits{}) {}
    FairQueue(uint64_t seed, const Limits& limits);
    FairQueue(const FairQueue&) = delete;
    FairQueue& operator=(const FairQueue&) = delete;

    // Where to read the next frame (kLargeSlot bytes); push_read() queues it.
    std::span<uint8_t> read_buffer();
    // Queues the first `size` bytes of read_buffer(). Returns how many
    // frames were dropped to stay within the limits (maybe this one).
    size_t push_read(size_t size, const OffloadHeader& h);
    // Queues a copy of `frame` (at most kLargeSlot bytes; larger is dropped
    // and counted in the result).
    size_t push_copy(std::span<const uint8_t> frame, const OffloadHeader& h);
    // The next frame in fair order. Its bytes stay valid until the next push.
    std::optional<Frame> pop();
    void clear();

    bool empty() const { return frames_ == 0; }
    size_t frames() const { return frames_; }
    size_t bytes() const { return bytes_; }

private:
    static constexpr uint32_t kNil = UINT32_MAX;
    enum class List : uint8_t { None, New, Old };
    enum class Need : uint8_t { Small, Large, Bytes };  // what a drop must free
    struct Slot {
        uint32_t len = 0;
        uint32_t next = kNil;  // the flow's next frame
        OffloadHeader hdr;
    };
    struct Flow {
        uint32_t head = kNil, tail = kNil;
        size_t bytes = 0;
        uint32_t smalls = 0, larges = 0;  // frames in small and in large slots
        int64_t deficit = 0;
        List list = List::None;
    };
    // Flow indices in turn; a flow is in one ring at most, so kFlows suffice.
    class FlowRing {
    public:
        FlowRing() : ring_(kFlows) {}
        bool empty() const { return count_ == 0; }
        size_t size() const { return count_; }
        uint16_t front() const { return ring_[head_]; }
        uint16_t at(size_t i) const { return ring_[(head_ + i) % kFlows]; }
        void pop() { head_ = (head_ + 1) % kFlows, --count_; }
        void push(uint16_t f) { ring_[(head_ + count_++) % kFlows] = f; }
        void clear() { head_ = count_ = 0; }

    private:
        std::vector<uint16_t> ring_;
        size_t head_ = 0, count_ = 0;
    };

    uint8_t* slot_bytes(uint32_t id) const;
    bool is_small(uint32_t id) const { return id < limits_.small_slots; }
    uint32_t place(std::span<const uint8_t> frame, size_t& dropped);
    size_t enqueue(uint32_t id, size_t size, const OffloadHeader& h);
    size_t make_room();
    uint32_t unlink_head(Flow& f);
    void release(uint32_t id);
    uint16_t victim(Need need) const;
    void drop(uint16_t flow, size_t& dropped);

    Limits limits_;
    uint64_t seed_;
    std::unique_ptr<uint8_t[]> small_mem_, large_mem_;
    std::vector<Slot> slots_;  // small ones first, then the large ones
    std::vector<uint32_t> free_small_, free_large_;
    uint32_t read_slot_;  // a free large slot held for the next read
    std::vector<Flow> flows_;
    FlowRing new_flows_, old_flows_;
    size_t frames_ = 0, bytes_ = 0;
};

}  // namespace tvpn
