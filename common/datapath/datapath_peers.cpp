// How peers join and leave an interface: at set-up, and while running (a
// reload) without disturbing the other peers: their sessions, sockets and
// learnt MACs stay, and so do the indices the event loop's handlers hold
// (sockets and interfaces are never taken out).
#include <algorithm>

#include "common/clock.h"
#include "common/datapath/datapath.h"
#include "common/datapath/kernel_mtu.h"

namespace tvpn {

Status Datapath::add_peer(size_t interface, std::unique_ptr<Peer> peer) {
    if (interfaces_[interface].peers.size() + 1 >= kTxBatchSize)  // a flooded frame's copies fit one burst
        return Error{"too many peers on one interface (at most " + std::to_string(kTxBatchSize - 2) + ")"};
    const Endpoint& local = peer->config().local;
    size_t sock = sockets_.size();
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (sockets_[i].socket.local() == local) sock = i;
    for (size_t t : sock < sockets_.size() ? sockets_[sock].peers : std::vector<size_t>{}) {
        const Peer& other = *peers_[t].peer;
        if (peer->config().remote && other.config().remote && *other.config().remote == *peer->config().remote)
            return Error{"two peers on " + local.to_string() + " have the same remote " +
                         peer->config().remote->to_string()};
    }
    if (sock == sockets_.size()) {
        auto s = UdpSocket::bind(local);
        if (!s) return s.error();
        sockets_.push_back(SocketEntry{std::move(*s), {}, {}, 0, 0});
        if (auto st = choose_fragmentation(sockets_[sock], *peer); !st) {
            sockets_.pop_back();
            return st;
        }
        if (loop_)
            if (auto st = watch_socket(sock); !st) {
                sockets_.pop_back();
                return st;
            }
    } else if (auto st = choose_fragmentation(sockets_[sock], *peer); !st) {
        return st;
    }
    const size_t index = peers_.size();
    auto sender = std::make_unique<PeerSender>(*this, index);
    peer->set_control_sink(sender.get());
    Interface& ifc = interfaces_[interface];
    const size_t overhead = ip_udp_overhead(local.family());
    peer->codec().set_path(ifc.largest_frame, overhead);
    // Without probing, the route's MTU is the estimate (Ethernet's when unknown).
    const auto& remote = peer->config().remote;
    const size_t route = (remote ? route_mtu(*remote) : std::nullopt).value_or(kDefaultMtu);
    ifc.peers.push_back(index);
    peers_.push_back(PeerEntry{std::move(peer), interface, static_cast<PortId>(ifc.peers.size()), sock,
                               std::move(sender), route > overhead ? route - overhead : 0});
    // A switch sized for the ports; the old ports keep what was learnt behind them.
    std::vector<PortId> old_port_of(ifc.peers.size() + 1);
    for (size_t port = 0; port < old_port_of.size(); ++port) old_port_of[port] = static_cast<PortId>(port);
    old_port_of.back() = kNoPort;
    rebuild_switch(interface, old_port_of, monotonic_ns());
    sockets_[sock].peers.push_back(index);
    reindex(sockets_[sock]);
    update_clamp(ifc);
    return {};
}

Status Datapath::add_tunnel(std::unique_ptr<Peer> peer, std::unique_ptr<Device> device) {
    return add_peer(add_interface(std::move(device)), std::move(peer));
}

std::unique_ptr<Peer> Datapath::remove_peer(size_t index) {
    PeerEntry& pe = peers_[index];
    const size_t interface = pe.interface;
    const PortId gone = pe.port;
    std::unique_ptr<Peer> peer = std::move(pe.peer);
    peer->set_control_sink(nullptr);  // its sender goes with the entry
    std::erase(sockets_[pe.socket_index].peers, index);
    Interface& ifc = interfaces_[interface];
    ifc.peers.erase(ifc.peers.begin() + (gone - 1));
    peers_.erase(peers_.begin() + static_cast<std::ptrdiff_t>(index));
    renumber_from(index);
    // Ports after the removed one move down by one, with what they learnt.
    std::vector<PortId> old_port_of(ifc.peers.size() + 1);
    for (size_t port = 0; port < old_port_of.size(); ++port)
        old_port_of[port] = static_cast<PortId>(port < gone ? port : port + 1);
    rebuild_switch(interface, old_port_of, monotonic_ns());
    for (auto& s : sockets_) reindex(s);
    update_clamp(ifc);
    return peer;
}

// Every index above `removed` moves down by one, in each place that holds one.
void Datapath::renumber_from(size_t removed) {
    auto shift = [removed](size_t& i) {
        if (i > removed) --i;
    };
    for (auto& ifc : interfaces_) std::for_each(ifc.peers.begin(), ifc.peers.end(), shift);
    for (auto& s : sockets_) std::for_each(s.peers.begin(), s.peers.end(), shift);
    for (size_t i = 0; i < peers_.size(); ++i) peers_[i].sender->set_peer(i);
    for (auto& ifc : interfaces_)
        for (size_t pos = 0; pos < ifc.peers.size(); ++pos) peers_[ifc.peers[pos]].port = static_cast<PortId>(pos + 1);
}

// With more than one peer the interface needs a switch, sized for its ports:
// new port p takes over what the old switch knew behind old_port_of[p]
// (kNoPort: nothing, a new peer). With one peer or none, no switch.
void Datapath::rebuild_switch(size_t interface, std::span<const PortId> old_port_of, uint64_t now_ns) {
    Interface& ifc = interfaces_[interface];
    if (ifc.peers.size() <= 1) {
        ifc.sw.reset();
        return;
    }
    MacTableLimits limits;
    limits.ports = ifc.peers.size() + 1;
    auto sw = std::make_unique<L2Switch>(limits, FloodLimits{}, seed_ + interface);
    if (ifc.sw)
        for (size_t port = 0; port < old_port_of.size(); ++port)
            if (old_port_of[port] != kNoPort) sw->adopt_port(*ifc.sw, old_port_of[port], static_cast<PortId>(port), now_ns);
    ifc.sw = std::move(sw);
}

Status Datapath::watch_socket(size_t i) {
    return loop_->add(sockets_[i].socket.fd(), [this, i](uint32_t) { on_socket_readable(i); });
}

std::optional<size_t> Datapath::find_peer(std::string_view ifname, std::string_view name) const {
    for (size_t i = 0; i < peers_.size(); ++i)
        if (peers_[i].peer->config().ifname == ifname && peers_[i].peer->config().name == name) return i;
    return std::nullopt;
}

std::optional<size_t> Datapath::find_interface(std::string_view ifname) const {
    for (size_t i = 0; i < interfaces_.size(); ++i)
        if (interfaces_[i].device->name() == ifname) return i;
    return std::nullopt;
}

}  // namespace tvpn
