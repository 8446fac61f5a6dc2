#include "common/datapath.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/clock.h"

namespace tvpn {
namespace {

// Bursts per wake-up before yielding to other descriptors, so one busy
// interface cannot starve another (the loop is level-triggered).
constexpr int kBurstsPerWake = 4;
constexpr size_t kReadsPerWake = 128;

}  // namespace

Datapath::Datapath(Logger& log)
    : log_(log), tx_(kTxBatchSize), rx_(kBatchSize), staging_(new uint8_t[kStagingSize]) {}

Status Datapath::add_tunnel(std::unique_ptr<Tunnel> tunnel, std::unique_ptr<Device> device) {
    const Endpoint& local = tunnel->config().local;
    size_t sock = sockets_.size();
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (sockets_[i].socket.local() == local) sock = i;
    for (size_t t : sock < sockets_.size() ? sockets_[sock].tunnels : std::vector<size_t>{})
        if (bindings_[t].tunnel->config().remote == tunnel->config().remote)
            return Error{"two tunnels on " + local.to_string() + " have the same remote " +
                         tunnel->config().remote.to_string()};
    if (sock == sockets_.size()) {
        auto s = UdpSocket::bind(local);
        if (!s) return s.error();
        sockets_.push_back(SocketEntry{std::move(*s), {}, 0, 0});
    }
    const size_t index = bindings_.size();
    sockets_[sock].tunnels.push_back(index);
    auto sender = std::make_unique<PeerSender>(*this, index);
    tunnel->set_control_sink(sender.get());
    auto coalescer = device->offloads() ? std::make_unique<TcpCoalescer>() : nullptr;
    auto tx_queue = device->batches() ? std::make_unique<DeviceTxQueue>() : nullptr;
    bindings_.push_back(Binding{std::move(tunnel), std::move(device), sock, std::move(sender), std::move(coalescer),
                                std::move(tx_queue)});
    return {};
}

void Datapath::PeerSender::send_to_peer(std::span<const uint8_t> datagram) {
    Binding& b = dp_.bindings_[binding_];
    UdpSocket& socket = dp_.sockets_[b.socket_index].socket;
    if (int err = socket.send_one(datagram, b.tunnel->config().remote)) {
        b.tunnel->stats().drop(DropReason::SendError);
        if (dp_.error_log_.allow(monotonic_ns()))
            dp_.log_.warning(errno_message("send to " + b.tunnel->config().remote.to_string(), err));
    }
}

bool Datapath::all_dead() const {
    for (const auto& b : bindings_)
        if (!b.dead) return false;
    return !bindings_.empty();
}

// The interface is gone or broken for good (ENODEV, EBADFD, EIO...): stop
// polling it, or a level-triggered loop would spin on the error.
void Datapath::device_lost(Binding& b, int err) {
    if (b.dead) return;
    b.dead = true;
    log_.error(errno_message("tunnel " + b.tunnel->config().ifname + ": interface lost; tunnel stopped", err));
    if (loop_) loop_->remove(b.device->poll_fd());
    if (all_dead() && loop_) loop_->stop();
}

void Datapath::tick(uint64_t now_ns) {
    for (auto& b : bindings_) b.tunnel->tick(now_ns);
}

Status Datapath::register_with(EventLoop& loop) {
    loop_ = &loop;
    for (size_t i = 0; i < bindings_.size(); ++i)
        if (auto st = loop.add(bindings_[i].device->poll_fd(), [this, i](uint32_t) { on_device_readable(i); }); !st)
            return st;
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (auto st = loop.add(sockets_[i].socket.fd(), [this, i](uint32_t) { on_socket_readable(i); }); !st)
            return st;
    return {};
}

// The frames of one burst from a device, gathered for one batched send.
class Datapath::TxBurst final : public SegmentSink {
public:
    TxBurst(Datapath& dp, Binding& b) : dp_(dp), b_(b) {}
    ~TxBurst() override { flush(); }

    // A free packet with the frame to be placed at kHeadroom, or null when full.
    Packet* slot() { return slots_ < dp_.tx_.capacity() ? &dp_.tx_[slots_] : nullptr; }
    size_t room() const { return dp_.tx_.capacity() - slots_; }
    // The frame in slot() is complete: encapsulate it and queue it.
    void push(uint32_t len, uint64_t now) {
        Packet& p = dp_.tx_[slots_++];
        p.off = kHeadroom;
        p.len = len;
        if (b_.tunnel->outbound(p, now)) ready_[n_++] = &p;
    }
    void flush() {
        if (n_ > 0) dp_.send(b_, {ready_.data(), n_});
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
    Datapath& dp_;
    Binding& b_;
    std::array<Packet*, kTxBatchSize> ready_{};
    size_t n_ = 0, slots_ = 0;
    uint64_t now_ = 0;
};

void Datapath::send(Binding& b, std::span<Packet* const> packets) {
    SendOutcome out = sockets_[b.socket_index].socket.send_batch(packets);
    if (out.failed) {
        b.tunnel->stats().drop(DropReason::SendError, out.failed);
        if (error_log_.allow(monotonic_ns()))
            log_.warning(errno_message("send to " + b.tunnel->config().remote.to_string(), out.last_err));
    }
}

// A frame read into staging_ (from a device with offloads, or from a
// batch): complete its checksum or split it, then copy it into the burst.
void Datapath::take_frame(TxBurst& burst, Tunnel& tunnel, std::span<uint8_t> frame, const OffloadHeader& h,
                          uint64_t now) {
    if (!h.is_gso()) {
        if (frame.size() > kMaxFrame || !complete_checksum(frame, h)) {
            tunnel.stats().drop(DropReason::Malformed);
            return;
        }
        if (!burst.slot()) burst.flush();
        std::memcpy(burst.slot()->buf + kHeadroom, frame.data(), frame.size());
        burst.push(static_cast<uint32_t>(frame.size()), now);
        return;
    }
    const size_t count = gso_segment_count(frame, h);
    if (count == 0 || count > tx_.capacity()) {
        tunnel.stats().drop(DropReason::Malformed);
        return;
    }
    if (count > burst.room()) burst.flush();
    burst.set_now(now);
    if (gso_split(frame, h, burst) != count) {
        tunnel.stats().drop(DropReason::Malformed);
        return;
    }
    ++tunnel.stats().gso_frames;
    tunnel.stats().gso_segments += count;
}

// What a device read's outcome means: take what was read, skip a frame
// that was dropped, or stop reading (nothing waits, or the device failed).
Datapath::ReadNext Datapath::after_read(Binding& b, const IoResult& r, uint64_t now) {
    switch (r.status) {
        case IoStatus::Ok: return ReadNext::Take;
        case IoStatus::WouldBlock: return ReadNext::Stop;
        case IoStatus::Truncated: b.tunnel->stats().drop(DropReason::Truncated); return ReadNext::Skip;
        case IoStatus::Failed: break;
    }
    if (r.err == ENOBUFS || r.err == ENOMEM) {
        if (error_log_.allow(now)) log_.warning(errno_message("read from " + b.device->name(), r.err));
    } else {
        device_lost(b, r.err);
    }
    return ReadNext::Stop;
}

// One frame per read: plain frames straight into the burst, frames with
// offload metadata through staging_.
void Datapath::read_frames(Binding& b, TxBurst& burst) {
    const bool offloads = b.device->offloads();
    for (size_t reads = 0; reads < kReadsPerWake; ++reads) {
        const uint64_t now = monotonic_ns();
        OffloadHeader h;
        IoResult r;
        if (offloads) {
            r = b.device->read_offload({staging_.get(), kStagingSize}, h);
        } else {
            if (!burst.slot()) burst.flush();
            r = b.device->read_frame({burst.slot()->buf + kHeadroom, kMaxFrame + 1});
        }
        const ReadNext next = after_read(b, r, now);
        if (next == ReadNext::Stop) break;
        if (next == ReadNext::Skip) continue;
        if (offloads)
            take_frame(burst, *b.tunnel, {staging_.get(), r.size}, h, now);
        else
            burst.push(static_cast<uint32_t>(r.size), now);
    }
}

// Up to kDeviceBatchMax frames per read, all into staging_ and from there
// into the burst.
void Datapath::read_batches(Binding& b, TxBurst& burst) {
    const std::span<uint8_t> buf(staging_.get(), kStagingSize);
    for (size_t frames = 0; frames < kReadsPerWake;) {
        const uint64_t now = monotonic_ns();
        IoResult r = b.device->read_batch(buf, rx_frames_);
        const ReadNext next = after_read(b, r, now);
        if (next == ReadNext::Stop) break;
        if (next == ReadNext::Skip) {
            ++frames;
            continue;
        }
        if (r.size == 0) break;  // a device that breaks its contract
        for (size_t i = 0; i < r.size; ++i) take_frame(burst, *b.tunnel, rx_frames_[i].frame, rx_frames_[i].hdr, now);
        frames += r.size;
        // A short batch that left room for the largest frame drained the
        // device: the next read would only find it empty.
        const RxFrame& last = rx_frames_[r.size - 1];
        const size_t used = static_cast<size_t>(last.frame.data() + last.frame.size() - buf.data());
        if (r.size < rx_frames_.size() && kStagingSize - used >= kMaxDeviceFrame + kBatchFrameOverhead) break;
    }
}

void Datapath::on_device_readable(size_t index) {
    Binding& b = bindings_[index];
    TxBurst burst(*this, b);
    if (b.device->batches())
        read_batches(b, burst);
    else
        read_frames(b, burst);
}

void Datapath::write_to_device(Binding& owner, std::span<const uint8_t> frame, const OffloadHeader& h, uint64_t now) {
    if (owner.dead) {
        owner.tunnel->stats().drop(DropReason::DeviceError);
        return;
    }
    if (owner.tx_queue) {  // written at the end of the burst, or when full
        if (owner.tx_queue->full()) flush_device(owner, now);
        owner.tx_queue->add(frame, h);
        return;
    }
    IoResult r = owner.device->write_offload(frame, h);
    if (r.status != IoStatus::Ok) {
        owner.tunnel->stats().drop(DropReason::DeviceError);
        if (r.status == IoStatus::Failed && error_log_.allow(now))
            log_.warning(errno_message("write to " + owner.device->name(), r.err));
    }
}

void Datapath::flush_coalesced(Binding& owner, uint64_t now) {
    if (!owner.coalescer || owner.coalescer->empty()) return;
    const size_t segments = owner.coalescer->segments();
    OffloadHeader h;
    std::span<const uint8_t> frame = owner.coalescer->take(h);
    if (segments > 1) {
        ++owner.tunnel->stats().gro_frames;
        owner.tunnel->stats().gro_segments += segments;
    }
    write_to_device(owner, frame, h, now);
    // The coalescer reuses its buffer with the next add(): write it now.
    flush_device(owner, now);
}

// Writes the frames queued for a device that batches (rx_ holds them).
void Datapath::flush_device(Binding& owner, uint64_t now) {
    if (!owner.tx_queue || owner.tx_queue->empty()) return;
    TxFlushOutcome out = owner.tx_queue->flush(*owner.device);
    if (out.dropped) owner.tunnel->stats().drop(DropReason::DeviceError, out.dropped);
    if (out.err && error_log_.allow(now)) log_.warning(errno_message("write to " + owner.device->name(), out.err));
}

// A frame for the interface: TCP segments of one flow are gathered and
// written as one super-frame at the end of the receive batch.
void Datapath::deliver(Binding& owner, Packet& p, uint64_t now) {
    if (!owner.tunnel->inbound(p, now)) return;
    if (owner.coalescer) {
        if (owner.coalescer->add(p.bytes())) return;
        flush_coalesced(owner, now);
        if (owner.coalescer->add(p.bytes())) return;
    }
    write_to_device(owner, p.bytes(), OffloadHeader{}, now);
}

Datapath::Binding* Datapath::find_owner(SocketEntry& s, const Packet& p) {
    for (size_t t : s.tunnels)
        if (bindings_[t].tunnel->is_peer(p)) return &bindings_[t];
    return nullptr;
}

void Datapath::on_socket_readable(size_t index) {
    SocketEntry& s = sockets_[index];
    for (int burst = 0; burst < kBurstsPerWake; ++burst) {
        size_t truncated = 0;
        int err = 0;
        size_t n = s.socket.recv_batch(rx_, rx_.capacity(), &truncated, &err);
        const uint64_t now = monotonic_ns();
        if (err) {
            ++s.socket_errors;
            if (error_log_.allow(now)) log_.warning(errno_message("receive on " + s.socket.local().to_string(), err));
        }
        for (size_t i = 0; i < n; ++i) {
            Packet& p = rx_[i];
            Binding* owner = find_owner(s, p);
            if (!owner) {
                ++s.unknown_source;
                continue;
            }
            if (p.len == 0) {  // cut by the kernel: did not fit
                owner->tunnel->stats().drop(DropReason::Truncated);
                continue;
            }
            if (p.segment_size == 0) {
                deliver(*owner, p, now);
                continue;
            }
            // UDP GRO: several datagrams of one sender back to back; each is
            // opened in place where it lies.
            const uint32_t total = p.len, step = p.segment_size;
            for (uint32_t at = 0; at < total; at += step) {
                p.off = at;
                p.len = std::min(step, total - at);
                deliver(*owner, p, now);
            }
        }
        for (size_t t : s.tunnels) {
            flush_coalesced(bindings_[t], now);
            flush_device(bindings_[t], now);  // before rx_ is reused
        }
        if (n < rx_.capacity()) break;
    }
}

}  // namespace tvpn
