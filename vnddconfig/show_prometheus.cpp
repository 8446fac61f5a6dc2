#include "vnddconfig/show_prometheus.h"

#include "vnddconfig/prometheus_writer.h"

namespace tvpn {
namespace {

using Type = PrometheusWriter::Type;
using Labels = PrometheusWriter::Labels;

struct Families {
    explicit Families(PrometheusWriter& w) {
        daemon_up = w.family("tvpn_interface_daemon_up", Type::Gauge,
                             "1 when a vnddvpnd answered for the interface, 0 when none did.");
        info = w.family("tvpn_interface_info", Type::Gauge, "The interface's backend (always 1).");
        mtu = w.family("tvpn_interface_mtu_bytes", Type::Gauge, "The interface's MTU.");
        listen = w.family("tvpn_interface_listen_info", Type::Gauge, "A local address the interface's peers use (always 1).");
        ifc_drops = w.family("tvpn_interface_drops_total", Type::Counter,
                             "Datagrams and frames of the interface dropped that no single peer is to blame for, by reason.");
        peer_info = w.family("tvpn_peer_info", Type::Gauge, "The peer's codec and current endpoint (always 1).");
        state = w.family("tvpn_peer_state", Type::Gauge, "1 for the peer's state, 0 for the others.");
        handshake = w.family("tvpn_peer_last_handshake_timestamp_seconds", Type::Gauge,
                             "When the last handshake with the peer completed (Unix time).");
        receive = w.family("tvpn_peer_last_receive_timestamp_seconds", Type::Gauge,
                           "When the last frame or authenticated datagram came from the peer (Unix time).");
        path_mtu = w.family("tvpn_peer_path_mtu_bytes", Type::Gauge,
                            "The underlay packet size the path to the peer was found to carry (probing codecs only).");
        for (const auto& c : peer_counters())
            counters.push_back(w.family(std::string("tvpn_peer_") + c.key + "_total", Type::Counter, c.help));
        peer_drops = w.family("tvpn_peer_drops_total", Type::Counter, "Datagrams and frames of the peer dropped, by reason.");
    }
    size_t daemon_up, info, mtu, listen, ifc_drops, peer_info, state, handshake, receive, path_mtu, peer_drops;
    std::vector<size_t> counters;
};

// The wall-clock time of something `age_ms` ago.
uint64_t when(uint64_t now_unix_ms, uint64_t age_ms) { return now_unix_ms > age_ms ? now_unix_ms - age_ms : 0; }

void peer(PrometheusWriter& w, const Families& f, const std::string& ifname, const PeerReport& p, uint64_t now_ms) {
    const Labels id{{"interface", ifname}, {"peer", p.name}};
    w.sample(f.peer_info, {{"interface", ifname}, {"peer", p.name}, {"codec", p.codec}, {"endpoint", p.endpoint}}, 1);
    for (size_t s = 0; s < static_cast<size_t>(PeerState::Count); ++s) {
        const auto st = static_cast<PeerState>(s);
        w.sample(f.state, {{"interface", ifname}, {"peer", p.name}, {"state", peer_state_name(st)}}, p.state == st);
    }
    if (p.last_handshake_ms) w.sample_thousandths(f.handshake, id, when(now_ms, *p.last_handshake_ms));
    if (p.last_receive_ms) w.sample_thousandths(f.receive, id, when(now_ms, *p.last_receive_ms));
    if (p.path_mtu) w.sample(f.path_mtu, id, *p.path_mtu);
    const auto counters = peer_counters();
    for (size_t i = 0; i < counters.size(); ++i) w.sample(f.counters[i], id, p.*counters[i].member);
    for (size_t r = 0; r < kPeerDrops; ++r)
        w.sample(f.peer_drops, {{"interface", ifname}, {"peer", p.name}, {"reason", peer_drop_name(r)}}, p.drops[r]);
}

void interface(PrometheusWriter& w, const Families& f, const ShownInterface& shown, uint64_t now_ms) {
    const Labels id{{"interface", shown.name}};
    w.sample(f.daemon_up, id, shown.report.has_value());
    if (!shown.report) return;
    const InterfaceReport& r = *shown.report;
    w.sample(f.info, {{"interface", r.name}, {"backend", r.backend}}, 1);
    w.sample(f.mtu, id, r.mtu);
    for (const auto& l : r.listen) w.sample(f.listen, {{"interface", r.name}, {"listen", l}}, 1);
    for (size_t d = 0; d < kInterfaceDrops; ++d)
        w.sample(f.ifc_drops, {{"interface", r.name}, {"reason", interface_drop_name(d)}}, r.drops[d]);
    for (const auto& p : r.peers) peer(w, f, r.name, p, now_ms);
}

}  // namespace

std::string show_prometheus(const std::vector<ShownInterface>& interfaces, uint64_t now_unix_ms) {
    PrometheusWriter w;
    const Families f(w);
    for (const auto& i : interfaces) interface(w, f, i, now_unix_ms);
    return w.text();
}

}  // namespace tvpn
