#include "common/datapath/datapath.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/clock.h"
#include "common/datapath/kernel_mtu.h"
#include "common/datapath/datapath_tx_burst.h"
#include "common/crypto/hkdf.h"

namespace tvpn {
namespace {

// Bursts per wake-up before yielding to other descriptors, so one busy
// interface cannot starve another (the loop is level-triggered).
constexpr int kBurstsPerWake = 4;
// An interface's turn: read what waits (bounded), then send at most
// kServeBytes of it (0.2 to 0.4 ms of sealing at 2.5 to 6 Gbit/s), so that a
// frame read at the start of a turn leaves within about one more.
constexpr size_t kFillReads = 1024;
constexpr size_t kFillBytes = 1024 * 1024;
constexpr size_t kServeBytes = 128 * 1024;

uint64_t random_seed() {
    uint8_t b[8] = {};
    if (!crypto::random_bytes(b)) return monotonic_ns();  // the hash key only spreads entries
    uint64_t v;
    std::memcpy(&v, b, sizeof v);
    return v;
}

}  // namespace

Datapath::Datapath(Logger& log)
    : log_(log),
      tx_(kTxBatchSize),
      rx_(kBatchSize),
      staging_(new uint8_t[kStagingSize]),
      flood_scratch_(new uint8_t[kMaxFrame]),
      seed_(random_seed()) {}

size_t Datapath::add_interface(std::unique_ptr<Device> device) {
    Interface ifc;
    ifc.coalescer = device->offloads() ? std::make_unique<TcpCoalescer>() : nullptr;
    ifc.tx_queue = device->batches() ? std::make_unique<DeviceTxQueue>() : nullptr;
    ifc.queue = std::make_unique<FairQueue>(seed_ ^ interfaces_.size());
    ifc.device = std::move(device);
    interfaces_.push_back(std::move(ifc));
    return interfaces_.size() - 1;
}

void Datapath::PeerSender::send_to_peer(std::span<const uint8_t> datagram) {
    PeerEntry& pe = dp_.peers_[peer_];
    UdpSocket& socket = dp_.sockets_[pe.socket_index].socket;
    Endpoint to;
    if (dp_.replying_to_ && dp_.replying_peer_ == peer_) {
        to = Endpoint(reinterpret_cast<const sockaddr*>(&dp_.replying_to_->addr), dp_.replying_to_->addrlen);
    } else if (pe.peer->has_endpoint()) {
        to = pe.peer->endpoint();
    } else {
        return;  // an `any` peer not heard from yet: nowhere to send
    }
    // Not an answer: the peer's re-resolved address gets it too, so that a
    // handshake there can prove it.
    const auto& candidate = pe.peer->candidate();
    if (!(dp_.replying_to_ && dp_.replying_peer_ == peer_) && candidate && !(*candidate == to))
        socket.send_one(datagram, *candidate);
    if (int err = socket.send_one(datagram, to)) {
        // Only a path MTU probe can be larger than the local link (everything
        // else is sized to a size a probe confirmed): the probe counts as lost.
        if (err == EMSGSIZE) return;
        pe.peer->stats().drop(DropReason::SendError);
        if (dp_.error_log_.allow(monotonic_ns()))
            dp_.log_.warning(errno_message(log_name(pe.peer->config()) + ": send to " + to.to_string(), err));
    }
}

bool Datapath::all_dead() const {
    for (const auto& ifc : interfaces_)
        if (!ifc.dead) return false;
    return !interfaces_.empty();
}

// Drops no single peer caused: the peer's own counters when there is only
// one (as the status always showed), else the interface's.
TunnelStats& Datapath::blame(Interface& ifc) {
    return ifc.peers.size() == 1 ? peers_[ifc.peers[0]].peer->stats() : ifc.stats;
}

// The interface is gone or broken for good (ENODEV, EBADFD, EIO...): stop
// polling it, or a level-triggered loop would spin on the error.
void Datapath::device_lost(Interface& ifc, int err) {
    if (ifc.dead) return;
    ifc.dead = true;
    ifc.queue->clear();
    log_.error(errno_message("tunnel " + ifc.device->name() + ": interface lost; tunnel stopped", err));
    if (loop_) loop_->remove(ifc.device->poll_fd());
    if (all_dead() && loop_) loop_->stop();
}

void Datapath::tick(uint64_t now_ns) {
    for (auto& pe : peers_) pe.peer->tick(now_ns);
    for (auto& ifc : interfaces_) {
        if (ifc.sw) ifc.sw->tick(now_ns);
        update_clamp(ifc);  // the paths' MTUs move as probes find them
    }
}

Status Datapath::register_with(EventLoop& loop) {
    loop_ = &loop;
    for (size_t i = 0; i < interfaces_.size(); ++i) {
        Interface& ifc = interfaces_[i];
        if (auto st = loop.add(ifc.device->poll_fd(), [this, i](uint32_t) { on_device_readable(i); }); !st) return st;
    }
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (auto st = watch_socket(i); !st) return st;
    return {};
}

void Datapath::send_run(PeerEntry& pe, std::span<Packet* const> packets) {
    SendOutcome out = sockets_[pe.socket_index].socket.send_batch(packets);
    if (out.failed) {
        pe.peer->stats().drop(DropReason::SendError, out.failed);
        if (error_log_.allow(monotonic_ns()) && pe.peer->has_endpoint())
            log_.warning(errno_message(log_name(pe.peer->config()) + ": send to " + pe.peer->endpoint().to_string(), out.last_err));
    }
}

// A frame from the queue: complete its checksum or split it, then copy it into the burst.
void Datapath::take_frame(TxBurst& burst, Interface& ifc, std::span<uint8_t> frame, const OffloadHeader& h,
                          uint64_t now) {
    TunnelStats& stats = blame(ifc);
    if (!h.is_gso()) {
        if (frame.size() > kMaxFrame || !complete_checksum(frame, h)) {
            stats.drop(DropReason::Malformed);
            return;
        }
        if (!burst.slot()) burst.flush();
        std::memcpy(burst.slot()->buf + kHeadroom, frame.data(), frame.size());
        burst.push(static_cast<uint32_t>(frame.size()), now);
        return;
    }
    // TCP segments as large as fit the path whole (the kernel sized them
    // for the interface's MTU).
    OffloadHeader fit = h;
    const size_t headers = gso_header_size(frame, h);
    if (gso_is_tcp(h) && headers && headers + fit.gso_size > ifc.clamp_frame && ifc.clamp_frame > headers + 64)
        fit.gso_size = static_cast<uint16_t>(ifc.clamp_frame - headers);
    const size_t count = gso_segment_count(frame, fit);
    if (count == 0 || count > tx_.capacity()) {
        stats.drop(DropReason::Malformed);
        return;
    }
    if (count > burst.room()) burst.flush();
    burst.set_now(now);
    if (gso_split(frame, fit, burst) != count) {
        stats.drop(DropReason::Malformed);
        return;
    }
    ++stats.gso_frames;
    stats.gso_segments += count;
}

// What a device read's outcome means: take what was read, skip a frame
// that was dropped, or stop reading (nothing waits, or the device failed).
Datapath::ReadNext Datapath::after_read(Interface& ifc, const IoResult& r, uint64_t now) {
    switch (r.status) {
        case IoStatus::Ok: return ReadNext::Take;
        case IoStatus::WouldBlock: return ReadNext::Stop;
        case IoStatus::Truncated: blame(ifc).drop(DropReason::Truncated); return ReadNext::Skip;
        case IoStatus::Failed: break;
    }
    if (r.err == ENOBUFS || r.err == ENOMEM) {
        if (error_log_.allow(now)) log_.warning(errno_message("read from " + ifc.device->name(), r.err));
    } else {
        device_lost(ifc, r.err);
    }
    return ReadNext::Stop;
}

// Reads until the device is empty, kFillReads frames or kFillBytes bytes,
// whichever comes first, into the interface's queue: a frame that arrives
// behind a bulk stream's backlog is then served in its own turn.
void Datapath::read_frames(Interface& ifc) {
    const bool offloads = ifc.device->offloads();
    size_t bytes = 0;
    for (size_t reads = 0; reads < kFillReads && bytes < kFillBytes; ++reads) {
        const uint64_t now = monotonic_ns();
        OffloadHeader h;
        std::span<uint8_t> buf = ifc.queue->read_buffer();
        // A plain device's frame larger than any MTU reads as kMaxFrame + 1 bytes (too big).
        IoResult r = offloads ? ifc.device->read_offload(buf, h) : ifc.device->read_frame(buf.first(kMaxFrame + 1));
        const ReadNext next = after_read(ifc, r, now);
        if (next == ReadNext::Stop) break;
        if (next == ReadNext::Skip) continue;
        bytes += r.size;
        count_queue_drops(ifc, ifc.queue->push_read(r.size, h));
    }
}

// Up to kDeviceBatchMax frames per read into staging_, copied from there
// into the queue.
void Datapath::read_batches(Interface& ifc) {
    const std::span<uint8_t> buf(staging_.get(), kStagingSize);
    size_t bytes = 0;
    for (size_t frames = 0; frames < kFillReads && bytes < kFillBytes;) {
        const uint64_t now = monotonic_ns();
        IoResult r = ifc.device->read_batch(buf, rx_frames_);
        const ReadNext next = after_read(ifc, r, now);
        if (next == ReadNext::Stop) break;
        if (next == ReadNext::Skip) {
            ++frames;
            continue;
        }
        if (r.size == 0) break;  // a device that breaks its contract
        for (size_t i = 0; i < r.size; ++i) {
            bytes += rx_frames_[i].frame.size();
            count_queue_drops(ifc, ifc.queue->push_copy(rx_frames_[i].frame, rx_frames_[i].hdr));
        }
        frames += r.size;
        // A short batch that left room for the largest frame drained the
        // device: the next read would only find it empty.
        const RxFrame& last = rx_frames_[r.size - 1];
        const size_t used = static_cast<size_t>(last.frame.data() + last.frame.size() - buf.data());
        if (r.size < rx_frames_.size() && kStagingSize - used >= kMaxDeviceFrame + kBatchFrameOverhead) break;
    }
}

void Datapath::count_queue_drops(Interface& ifc, size_t dropped) {
    if (dropped) blame(ifc).drop(DropReason::QueueFull, dropped);
}

// Sends at most kServeBytes from the queue, so that the sockets (and the
// other interfaces) get their turn and the next frames get read soon.
void Datapath::serve_queue(Interface& ifc) {
    TxBurst burst(*this, &ifc);
    const uint64_t now = monotonic_ns();
    for (size_t bytes = 0; bytes < kServeBytes;) {
        std::optional<FairQueue::Frame> f = ifc.queue->pop();
        if (!f) break;
        bytes += f->bytes.size();
        take_frame(burst, ifc, f->bytes, f->hdr, now);
    }
}

void Datapath::on_device_readable(size_t index) {
    Interface& ifc = interfaces_[index];
    if (ifc.device->batches())
        read_batches(ifc);
    else
        read_frames(ifc);
    serve_queue(ifc);
}

bool Datapath::backlogged() const {
    return std::any_of(interfaces_.begin(), interfaces_.end(),
                       [](const Interface& ifc) { return !ifc.dead && !ifc.queue->empty(); });
}

void Datapath::serve_backlog() {
    for (auto& ifc : interfaces_)
        if (!ifc.dead && !ifc.queue->empty()) serve_queue(ifc);
}

void Datapath::write_to_device(Interface& ifc, TunnelStats& stats, std::span<const uint8_t> frame,
                               const OffloadHeader& h, uint64_t now) {
    if (ifc.dead) {
        stats.drop(DropReason::DeviceError);
        return;
    }
    if (ifc.tx_queue) {  // written at the end of the burst, or when full
        if (ifc.tx_queue->full()) flush_device(ifc, now);
        ifc.tx_queue->add(frame, h);
        return;
    }
    IoResult r = ifc.device->write_offload(frame, h);
    if (r.status != IoStatus::Ok) {
        stats.drop(DropReason::DeviceError);
        if (r.status == IoStatus::Failed && error_log_.allow(now))
            log_.warning(errno_message("write to " + ifc.device->name(), r.err));
    }
}

void Datapath::flush_coalesced(Interface& ifc, uint64_t now) {
    if (!ifc.coalescer || ifc.coalescer->empty()) return;
    const size_t segments = ifc.coalescer->segments();
    OffloadHeader h;
    std::span<const uint8_t> frame = ifc.coalescer->take(h);
    TunnelStats& stats = blame(ifc);
    if (segments > 1) {
        ++stats.gro_frames;
        stats.gro_segments += segments;
    }
    write_to_device(ifc, stats, frame, h, now);
    // The coalescer reuses its buffer with the next add(): write it now.
    flush_device(ifc, now);
}

// Writes the frames queued for a device that batches (rx_ holds them).
void Datapath::flush_device(Interface& ifc, uint64_t now) {
    if (!ifc.tx_queue || ifc.tx_queue->empty()) return;
    TxFlushOutcome out = ifc.tx_queue->flush(*ifc.device);
    if (out.dropped) blame(ifc).drop(DropReason::DeviceError, out.dropped);
    if (out.err && error_log_.allow(now)) log_.warning(errno_message("write to " + ifc.device->name(), out.err));
}

// A frame for the interface: TCP segments of one flow are gathered and
// written as one super-frame at the end of the receive batch.
void Datapath::to_device(Interface& ifc, TunnelStats& stats, Packet& p, uint64_t now) {
    if (ifc.coalescer) {
        if (ifc.coalescer->add(p.bytes())) return;
        flush_coalesced(ifc, now);
        if (ifc.coalescer->add(p.bytes())) return;
    }
    write_to_device(ifc, stats, p.bytes(), OffloadHeader{}, now);
}

// Logged from the peer's move counter (vnddvpnd/peer_event_log.h).
void Datapath::endpoint_moved(PeerEntry& pe, uint64_t) { reindex(sockets_[pe.socket_index]); }

void Datapath::deliver(PeerEntry& pe, Packet& p, TxBurst& relay, uint64_t now) {
    bool moved = false;
    replying_to_ = &p;
    replying_peer_ = static_cast<size_t>(&pe - peers_.data());
    const bool frame = pe.peer->inbound(p, now, moved);
    replying_to_ = nullptr;
    if (moved) endpoint_moved(pe, now);
    if (!frame) return;
    Interface& ifc = interfaces_[pe.interface];
    if (!fits_and_clamp(ifc, pe.peer->stats(), p)) return;
    if (ifc.sw) return switch_from_peer(pe, p, relay, now);
    to_device(ifc, pe.peer->stats(), p, now);
}

// The socket's peers by their current endpoints, after one moved.
void Datapath::reindex(SocketEntry& s) {
    s.by_endpoint.clear();
    for (size_t i : s.peers) {
        const Peer& peer = *peers_[i].peer;
        if (peer.has_endpoint()) s.by_endpoint.emplace(EndpointKey::of(peer.endpoint().sa(), peer.endpoint().len()), i);
    }
}

Datapath::PeerEntry* Datapath::find_owner(SocketEntry& s, const Packet& p) {
    auto it = s.by_endpoint.find(EndpointKey::of(reinterpret_cast<const sockaddr*>(&p.addr), p.addrlen));
    return it == s.by_endpoint.end() ? nullptr : &peers_[it->second];
}

// A datagram from an address no peer is at: a peer that roams takes it if
// its codec says the datagram is addressed to it (names one of its sessions,
// or its handshake). Only then may its codec authenticate it and move.
Datapath::PeerEntry* Datapath::claimant(SocketEntry& s, const Packet& p) {
    const std::span<const uint8_t> bytes(p.data(), p.len);
    for (size_t i : s.peers) {
        Peer& peer = *peers_[i].peer;
        if (peer.roams() && peer.codec().claims(bytes)) return &peers_[i];
    }
    return nullptr;
}

void Datapath::on_socket_readable(size_t index) {
    SocketEntry& s = sockets_[index];
    TxBurst relay(*this, nullptr);
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
            PeerEntry* owner = find_owner(s, p);
            if (!owner && p.len > 0) owner = claimant(s, p);
            if (!owner) {
                ++s.unknown_source;
                continue;
            }
            if (p.len == 0) {  // cut by the kernel: did not fit
                owner->peer->stats().drop(DropReason::Truncated);
                continue;
            }
            if (p.segment_size == 0) {
                deliver(*owner, p, relay, now);
                continue;
            }
            // UDP GRO: several datagrams of one sender back to back; each is
            // opened in place where it lies.
            const uint32_t total = p.len, step = p.segment_size;
            for (uint32_t at = 0; at < total; at += step) {
                p.off = at;
                p.len = std::min(step, total - at);
                deliver(*owner, p, relay, now);
            }
        }
        relay.flush();
        for (size_t t : s.peers) {
            Interface& ifc = interfaces_[peers_[t].interface];
            flush_coalesced(ifc, now);
            flush_device(ifc, now);  // before rx_ is reused
        }
        if (n < rx_.capacity()) break;
    }
}

}  // namespace tvpn
