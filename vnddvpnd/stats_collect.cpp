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
    r.drops[kReassemblyTimeoutDrop] = m.reassembly_timed_out;
    r.drops[kReassemblyEvictedDrop] = m.reassembly_evicted;
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
    std::copy(s.drops.begin(), s.drops.end(), r.drops.begin());
    if (ifc.sw) r.drops[kFloodLimitedDrop] = ifc.sw->stats(pe.port).flood_limited;
    return r;
}

InterfaceReport interface_report(const Datapath& datapath, const Datapath::Interface& ifc, uint64_t now_ns) {
    InterfaceReport r;
    r.name = ifc.device->name();
    r.backend = ifc.device->backend();
    r.mtu = static_cast<uint32_t>(ifc.largest_frame - kEthHeaderMax);
    std::copy(ifc.stats.drops.begin(), ifc.stats.drops.end(), r.drops.begin());
    std::vector<size_t> sockets;
    for (size_t i : ifc.peers) {
        const auto& pe = datapath.peers()[i];
        r.peers.push_back(peer_report(ifc, pe, now_ns));
        if (std::find(sockets.begin(), sockets.end(), pe.socket_index) != sockets.end()) continue;
        sockets.push_back(pe.socket_index);
        const auto& sock = datapath.sockets()[pe.socket_index];
        r.listen.push_back(sock.socket.local().to_string());
        r.drops[kUnknownSourceDrop] += sock.unknown_source;
    }
    return r;
}

}  // namespace

std::vector<InterfaceReport> collect_stats(const Datapath& datapath, uint64_t now_ns, std::string_view only) {
    std::vector<InterfaceReport> out;
    for (const auto& ifc : datapath.interfaces())
        if (only.empty() || ifc.device->name() == only) out.push_back(interface_report(datapath, ifc, now_ns));
    return out;
}

}  // namespace tvpn
