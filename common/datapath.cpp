#include "common/datapath.h"

#include <algorithm>
#include <array>

#include "common/clock.h"

namespace tvpn {
namespace {

// Bursts per wake-up before yielding to other descriptors, so one busy
// interface cannot starve another (the loop is level-triggered).
constexpr int kBurstsPerWake = 4;

}  // namespace

Datapath::Datapath(Logger& log) : log_(log), tx_(kBatchSize), rx_(kBatchSize) {}

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
    bindings_.push_back(Binding{std::move(tunnel), std::move(device), sock, std::move(sender)});
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

void Datapath::tick(uint64_t now_ns) {
    for (auto& b : bindings_) b.tunnel->tick(now_ns);
}

Status Datapath::register_with(EventLoop& loop) {
    for (size_t i = 0; i < bindings_.size(); ++i)
        if (auto st = loop.add(bindings_[i].device->poll_fd(), [this, i](uint32_t) { on_device_readable(i); }); !st)
            return st;
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (auto st = loop.add(sockets_[i].socket.fd(), [this, i](uint32_t) { on_socket_readable(i); }); !st)
            return st;
    return {};
}

void Datapath::on_device_readable(size_t index) {
    Binding& b = bindings_[index];
    Tunnel& tunnel = *b.tunnel;
    std::array<Packet*, kBatchSize> ready{};
    for (int burst = 0; burst < kBurstsPerWake; ++burst) {
        const uint64_t now = monotonic_ns();
        size_t n = 0, reads = 0;
        bool drained = false;
        for (; reads < tx_.capacity(); ++reads) {
            Packet& p = tx_[n];
            p.off = kHeadroom;
            IoResult r = b.device->read_frame({p.buf + kHeadroom, kMaxFrame + 1});
            if (r.status == IoStatus::WouldBlock) { drained = true; break; }
            if (r.status == IoStatus::Truncated) { tunnel.stats().drop(DropReason::Truncated); continue; }
            if (r.status == IoStatus::Failed) {
                if (error_log_.allow(now)) log_.error(errno_message("read from " + b.device->name(), r.err));
                drained = true;
                break;
            }
            p.len = static_cast<uint32_t>(r.size);
            if (tunnel.outbound(p, now)) ready[n++] = &p;
        }
        if (n > 0) {
            SocketEntry& s = sockets_[b.socket_index];
            SendOutcome out = s.socket.send_batch({ready.data(), n});
            if (out.failed) {
                tunnel.stats().drop(DropReason::SendError, out.failed);
                if (error_log_.allow(now))
                    log_.warning(errno_message("send to " + tunnel.config().remote.to_string(), out.last_err));
            }
        }
        if (drained) break;
    }
}

void Datapath::deliver(Binding& owner, Packet& p, uint64_t now) {
    if (!owner.tunnel->inbound(p, now)) return;
    IoResult r = owner.device->write_frame(p.bytes());
    if (r.status != IoStatus::Ok) {
        owner.tunnel->stats().drop(DropReason::DeviceError);
        if (r.status == IoStatus::Failed && error_log_.allow(now))
            log_.warning(errno_message("write to " + owner.device->name(), r.err));
    }
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
        if (n < rx_.capacity()) break;
    }
}

}  // namespace tvpn
