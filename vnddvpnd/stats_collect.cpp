#include "vnddvpnd/stats_collect.h"

#include <algorithm>

namespace tvpn {
namespace {

std::optional<uint64_t> age_ms(uint64_t then_ns, uint64_t now_ns) {
    if (then_ns == 0) return std::nullopt;
    return now_ns > then_ns ? (now_ns - then_ns) / 1000000 : 0;
}

void add_codec(PeerReport& r, const CodecMetrics& m, uint64_t now_ns) {
    r.codec = m.codec;
    r.state = m.state;
    r.last_handshake_ms = age_ms(m.last_handshake_ns, now_ns);
    if (m.path_mtu) r.path_mtu = m.path_mtu;
    r.fragments_sent = m.fragments_sent;
    r.frames_fragmented = m.frames_fragmented;
    r.frames_reassembled = m.frames_reassembled;
    r.handshakes_initiated = m.handshakes.initiated;
    r.handshakes_completed = m.handshakes.completed;
    r.handshakes_auth_failed = m.handshakes.auth_failed;
    r.handshakes_unconfirmed = m.handshakes.unconfirmed;
    r.handshakes_rate_limited = m.handshakes.rate_limited;
}

// The sockets an interface's peers use, each once.
std::vector<size_t> sockets_of(const Datapath& datapath, const Datapath::Interface& ifc) {
    std::vector<size_t> sockets;
    for (size_t i : ifc.peers) {
        const size_t s = datapath.peers()[i].socket_index;
        if (std::find(sockets.begin(), sockets.end(), s) == sockets.end()) sockets.push_back(s);
    }
    return sockets;
}

PeerReport peer_report(const Datapath::Interface& ifc, const Datapath::PeerEntry& pe, uint64_t now_ns) {
    const Peer& p = *pe.peer;
    const TunnelStats& s = p.stats();
    const CodecMetrics m = p.codec().metrics(now_ns);
    PeerReport r;
    r.name = p.config().name;
    if (p.has_endpoint()) r.endpoint = p.endpoint().to_string();
    r.endpoint_learned = p.endpoint_learned();
    add_codec(r, m, now_ns);
    // A keepalive is no frame, but it shows the peer is there.
    r.last_receive_ms = age_ms(std::max(s.last_rx_ns, m.last_authenticated_ns), now_ns);
    r.receive_bytes = s.bytes_in;
    r.receive_packets = s.frames_in;
    r.transmit_bytes = s.bytes_out;
    r.transmit_packets = s.frames_out;
    r.endpoint_moves = p.endpoint_moves();
    r.mss_clamped = s.mss_clamped;
    r.drops = peer_drop_counts(ifc, pe, m);
    return r;
}

InterfaceReport interface_report(const Datapath& datapath, const Datapath::Interface& ifc, uint64_t now_ns) {
    InterfaceReport r;
    r.name = ifc.device->name();
    r.backend = ifc.device->backend();
    r.mtu = static_cast<uint32_t>(ifc.largest_frame - kEthHeaderMax);
    r.drops = interface_drop_counts(datapath, ifc);
    for (size_t i : ifc.peers) r.peers.push_back(peer_report(ifc, datapath.peers()[i], now_ns));
    for (size_t s : sockets_of(datapath, ifc)) r.listen.push_back(datapath.sockets()[s].socket.local().to_string());
    return r;
}

}  // namespace

std::array<uint64_t, kPeerDrops> peer_drop_counts(const Datapath::Interface& ifc, const Datapath::PeerEntry& pe,
                                                  const CodecMetrics& m) {
    std::array<uint64_t, kPeerDrops> d{};
    const TunnelStats& s = pe.peer->stats();
    std::copy(s.drops.begin(), s.drops.end(), d.begin());
    d[kReassemblyTimeoutDrop] = m.reassembly_timed_out;
    d[kReassemblyEvictedDrop] = m.reassembly_evicted;
    if (ifc.sw) d[kFloodLimitedDrop] = ifc.sw->stats(pe.port).flood_limited;
    return d;
}

// A socket shared by two interfaces counts its unknown sources in each.
std::array<uint64_t, kInterfaceDrops> interface_drop_counts(const Datapath& datapath, const Datapath::Interface& ifc) {
    std::array<uint64_t, kInterfaceDrops> d{};
    std::copy(ifc.stats.drops.begin(), ifc.stats.drops.end(), d.begin());
    for (size_t s : sockets_of(datapath, ifc)) d[kUnknownSourceDrop] += datapath.sockets()[s].unknown_source;
    return d;
}

std::vector<InterfaceReport> collect_stats(const Datapath& datapath, uint64_t now_ns, std::string_view only) {
    std::vector<InterfaceReport> out;
    for (const auto& ifc : datapath.interfaces())
        if (only.empty() || ifc.device->name() == only) out.push_back(interface_report(datapath, ifc, now_ns));
    return out;
}

}  // namespace tvpn
