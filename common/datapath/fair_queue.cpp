#include "common/datapath/fair_queue.h"

#include <algorithm>
#include <cstring>

#include "common/datapath/flow_hash.h"

namespace tvpn {

FairQueue::FairQueue(uint64_t seed, const Limits& limits)
    : limits_(limits), seed_(seed), flows_(kFlows) {
    limits_.large_slots = std::max<size_t>(limits_.large_slots, 1);
    // Not value-initialised: untouched pages cost no memory.
    small_mem_.reset(new uint8_t[limits_.small_slots * kSmallSlot]);
    large_mem_.reset(new uint8_t[limits_.large_slots * kLargeSlot]);
    slots_.resize(limits_.small_slots + limits_.large_slots);
    for (size_t i = limits_.small_slots; i-- > 0;) free_small_.push_back(static_cast<uint32_t>(i));
    for (size_t i = slots_.size(); i-- > limits_.small_slots + 1;) free_large_.push_back(static_cast<uint32_t>(i));
    read_slot_ = static_cast<uint32_t>(limits_.small_slots);
}

uint8_t* FairQueue::slot_bytes(uint32_t id) const {
    if (is_small(id)) return small_mem_.get() + static_cast<size_t>(id) * kSmallSlot;
    return large_mem_.get() + static_cast<size_t>(id - limits_.small_slots) * kLargeSlot;
}

std::span<uint8_t> FairQueue::read_buffer() { return {slot_bytes(read_slot_), kLargeSlot}; }

// The slot that will hold `frame`: a small one for a small frame (dropping
// to free one), else the read slot (make_room() then finds the next read
// another). Small frames never take large slots: a flood of them cannot
// leave a super-frame nowhere to be read.
uint32_t FairQueue::place(std::span<const uint8_t> frame, size_t& dropped) {
    uint32_t id;
    if (frame.size() <= kSmallSlot && limits_.small_slots > 0) {
        while (free_small_.empty()) drop(victim(Need::Small), dropped);
        id = free_small_.back();
        free_small_.pop_back();
    } else {
        id = read_slot_;
        read_slot_ = kNil;
    }
    uint8_t* to = slot_bytes(id);
    if (!frame.empty() && to != frame.data()) std::memmove(to, frame.data(), frame.size());
    return id;
}

size_t FairQueue::push_read(size_t size, const OffloadHeader& h) {
    size = std::min(size, kLargeSlot);
    size_t dropped = 0;
    const uint32_t id = place({slot_bytes(read_slot_), size}, dropped);
    return enqueue(id, size, h) + dropped;
}

size_t FairQueue::push_copy(std::span<const uint8_t> frame, const OffloadHeader& h) {
    if (frame.size() > kLargeSlot) return 1;
    size_t dropped = 0;
    const uint32_t id = place(frame, dropped);
    return enqueue(id, frame.size(), h) + dropped;
}

// The frame's `size` bytes are in slot `id` already.
size_t FairQueue::enqueue(uint32_t id, size_t size, const OffloadHeader& h) {
    const uint16_t fi = static_cast<uint16_t>(flow_hash({slot_bytes(id), size}, seed_) % kFlows);
    Slot& s = slots_[id];
    s.len = static_cast<uint32_t>(size);
    s.next = kNil;
    s.hdr = h;
    Flow& f = flows_[fi];
    if (f.tail == kNil)
        f.head = id;
    else
        slots_[f.tail].next = id;
    f.tail = id;
    f.bytes += s.len;
    ++(is_small(id) ? f.smalls : f.larges);
    bytes_ += s.len;
    ++frames_;
    if (f.list == List::None) {
        f.list = List::New;
        f.deficit = kQuantum;
        new_flows_.push(fi);
    }
    return make_room();
}

// Drops until the bytes fit and a large slot is free for the next read.
// Ends: each drop frees a slot and its bytes, and an empty queue fits.
size_t FairQueue::make_room() {
    size_t dropped = 0;
    for (;;) {
        if (read_slot_ == kNil && !free_large_.empty()) {
            read_slot_ = free_large_.back();
            free_large_.pop_back();
        }
        if (read_slot_ == kNil)
            drop(victim(Need::Large), dropped);
        else if (bytes_ > limits_.bytes)
            drop(victim(Need::Bytes), dropped);
        else
            return dropped;
    }
}

// Of the flows holding what is needed, the one holding the most of it; only
// called when some flow holds it (each flow with frames is in a ring).
uint16_t FairQueue::victim(Need need) const {
    auto amount = [need](const Flow& f) -> size_t {
        switch (need) {
            case Need::Small: return f.smalls;
            case Need::Large: return f.larges;
            case Need::Bytes: break;
        }
        return f.head == kNil ? 0 : f.bytes + 1;  // + 1: a flow of empty frames holds something too
    };
    uint16_t best = 0;
    size_t most = 0;
    for (const FlowRing* ring : {&new_flows_, &old_flows_})
        for (size_t i = 0; i < ring->size(); ++i)
            if (const size_t a = amount(flows_[ring->at(i)]); a > most) most = a, best = ring->at(i);
    return best;
}

// Drops the head of flow `fi`: its oldest frame, so that TCP learns of the
// loss a queue's worth sooner than from the tail.
void FairQueue::drop(uint16_t fi, size_t& dropped) {
    release(unlink_head(flows_[fi]));
    ++dropped;
}

uint32_t FairQueue::unlink_head(Flow& f) {
    const uint32_t id = f.head;
    f.head = slots_[id].next;
    if (f.head == kNil) f.tail = kNil;
    f.bytes -= slots_[id].len;
    --(is_small(id) ? f.smalls : f.larges);
    bytes_ -= slots_[id].len;
    --frames_;
    return id;
}

void FairQueue::release(uint32_t id) {
    if (is_small(id))
        free_small_.push_back(id);
    else if (read_slot_ == kNil)
        read_slot_ = id;
    else
        free_large_.push_back(id);
}

std::optional<FairQueue::Frame> FairQueue::pop() {
    for (;;) {
        FlowRing* ring = !new_flows_.empty() ? &new_flows_ : !old_flows_.empty() ? &old_flows_ : nullptr;
        if (!ring) return std::nullopt;
        const uint16_t fi = ring->front();
        Flow& f = flows_[fi];
        if (f.deficit <= 0) {  // its turn is used up: to the back of the old flows
            f.deficit += kQuantum;
            ring->pop();
            old_flows_.push(fi);
            f.list = List::Old;
            continue;
        }
        if (f.head == kNil) {
            ring->pop();
            // As fq_codel: a new flow that emptied waits one round as an old
            // one, so that a flow which keeps its queue short cannot take
            // every turn.
            if (ring == &new_flows_ && !old_flows_.empty()) {
                old_flows_.push(fi);
                f.list = List::Old;
            } else {
                f.list = List::None;
            }
            continue;
        }
        const uint32_t id = unlink_head(f);
        f.deficit -= slots_[id].len;
        release(id);  // reused only by a later push
        return Frame{{slot_bytes(id), slots_[id].len}, slots_[id].hdr};
    }
}

void FairQueue::clear() {
    size_t dropped = 0;
    while (!empty()) drop(victim(Need::Bytes), dropped);
    for (auto& f : flows_) f = Flow{};
    new_flows_.clear();
    old_flows_.clear();
}

}  // namespace tvpn
