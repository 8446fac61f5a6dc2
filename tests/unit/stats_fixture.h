// Reports with a different value in every field, so that a test can tell
// each one apart in any format (stats wire, JSON, Prometheus).
#pragma once

#include "common/control/stats_report.h"

namespace tvpn::test {

inline PeerReport sample_peer(std::string name, uint64_t base) {
    PeerReport p;
    p.name = std::move(name);
    p.endpoint = "198.51.100.2:33000";
    p.endpoint_learned = true;
    p.codec = "pwd";
    p.state = PeerState::Up;
    p.last_handshake_ms = base + 1;
    p.last_receive_ms = base + 2;
    p.path_mtu = static_cast<uint32_t>(1400 + base % 100);
    uint64_t v = base + 10;
    for (const auto& c : peer_counters()) p.*c.member = v++;
    for (auto& d : p.drops) d = v++;
    return p;
}

inline InterfaceReport sample_interface() {
    InterfaceReport r;
    r.name = "vlan3";
    r.backend = "tap";
    r.mtu = 1500;
    r.listen = {"198.51.100.1:33000", "[2001:db8::1]:33001"};
    for (size_t i = 0; i < r.drops.size(); ++i) r.drops[i] = 500 + i;
    r.peers.push_back(sample_peer("site-b", 1000));
    PeerReport clear = sample_peer("site-c", 2000);
    clear.codec = "clear";
    clear.state = PeerState::Clear;
    clear.endpoint.clear();
    clear.endpoint_learned = false;
    clear.last_handshake_ms.reset();
    clear.path_mtu.reset();
    r.peers.push_back(clear);
    return r;
}

}  // namespace tvpn::test
