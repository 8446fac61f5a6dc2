// The burst of frames the packet path gathers for one batched send (a part
// of Datapath, shared by datapath.cpp and datapath_switching.cpp).
#pragma once

#include <array>

#include "common/datapath/datapath.h"

namespace tvpn {

// Frames gathered for one batched send: those read from an interface (each
// sent to the peer its switch picks), or those relayed between peers.
class Datapath::TxBurst final : public SegmentSink {
public:
    TxBurst(Datapath& dp, Interface* from) : dp_(dp), from_(from) {}
    ~TxBurst() override { flush(); }

    // A free packet with the frame to be placed at kHeadroom, or null when full.
    Packet* slot() { return slots_ < dp_.tx_.capacity() ? &dp_.tx_[slots_] : nullptr; }
    size_t room() const { return dp_.tx_.capacity() - slots_; }
    // The frame in slot() is complete: hand it to the switch (or the one peer).
    void push(uint32_t len, uint64_t now) {
        Packet& p = take(len);
        dp_.route_from_device(*from_, *this, p, now);
    }
    // Takes the frame in slot() as it is, for `pe`.
    Packet& take(uint32_t len) {
        Packet& p = dp_.tx_[slots_++];
        p.off = kHeadroom;
        p.len = len;
        return p;
    }
    // Encapsulates a taken packet for `pe` and queues it.
    void seal_for(PeerEntry& pe, Packet& p, uint64_t now) {
        if (pe.peer->outbound(p, now)) ready_[n_++] = {&p, &pe};
    }
    void flush() {
        // Consecutive packets for one peer go out in one batched send.
        std::array<Packet*, kTxBatchSize> run;
        for (size_t i = 0; i < n_;) {
            size_t k = 0;
            PeerEntry* pe = ready_[i].pe;
            while (i < n_ && ready_[i].pe == pe) run[k++] = ready_[i++].pkt;
            dp_.send_run(*pe, {run.data(), k});
        }
        n_ = slots_ = 0;
    }
    // SegmentSink: split segments land directly in the batch.
    std::span<uint8_t> next(size_t size) override {
        Packet* p = slot();
        if (!p || size > kMaxFrame) return {};
        return {p->buf + kHeadroom, size};
    }
    void commit(size_t len) override { push(static_cast<uint32_t>(len), now_); }
    void set_now(uint64_t now) { now_ = now; }

private:
    struct Ready {
        Packet* pkt;
        PeerEntry* pe;
    };
    Datapath& dp_;
    Interface* from_;
    std::array<Ready, kTxBatchSize> ready_{};
    size_t n_ = 0, slots_ = 0;
    uint64_t now_ = 0;
};

}  // namespace tvpn
