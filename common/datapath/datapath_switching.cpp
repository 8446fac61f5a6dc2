// The switch's part of the packet path, for interfaces with several peers:
// where a frame from the interface or from a peer goes, flooded copies and
// frames relayed between peers.
#include <cstring>

#include "common/datapath/datapath.h"
#include "common/datapath/datapath_tx_burst.h"

namespace tvpn {

// A frame from the interface (in a taken slot of the burst): to its one
// peer, or where the switch says, copied once per peer when flooded.
void Datapath::route_from_device(Interface& ifc, TxBurst& burst, Packet& p, uint64_t now) {
    if (!fits_and_clamp(ifc, blame(ifc), p)) return;
    if (ifc.peers.size() == 1) return burst.seal_for(peers_[ifc.peers[0]], p, now);
    if (ifc.peers.empty()) return;
    const SwitchVerdict v = ifc.sw->forward(p.bytes(), 0, true, now);
    if (v.kind == SwitchVerdict::Kind::ToPort) return burst.seal_for(peers_[ifc.peers[v.port - 1]], p, now);
    if (v.kind == SwitchVerdict::Kind::Drop) return;  // counted by the switch
    const size_t copies = ifc.peers.size() - 1;
    Packet* src = &p;
    if (burst.room() < copies) {  // send what is ready to make room; keep the frame aside meanwhile
        const uint32_t len = p.len;
        std::memcpy(flood_scratch_.get(), p.data(), len);
        burst.flush();
        std::memcpy(burst.slot()->buf + kHeadroom, flood_scratch_.get(), len);
        src = &burst.take(len);
    }
    for (size_t i = 0; i < copies; ++i) {
        std::memcpy(burst.slot()->buf + kHeadroom, src->data(), src->len);
        burst.seal_for(peers_[ifc.peers[i]], burst.take(src->len), now);
    }
    burst.seal_for(peers_[ifc.peers[copies]], *src, now);
}

// A frame from a peer of an interface with several: to the interface, to
// another peer (relayed here), or to all of them. Sources are learnt from
// authenticated frames; clear-text peers cannot authenticate, so theirs are
// learnt as they come (spoofable, as the README says).
void Datapath::switch_from_peer(PeerEntry& pe, Packet& p, TxBurst& relay, uint64_t now) {
    Interface& ifc = interfaces_[pe.interface];
    const bool learn = pe.peer->last_authentic() || !pe.peer->roams();
    const SwitchVerdict v = ifc.sw->forward(p.bytes(), pe.port, learn, now);
    if (v.kind == SwitchVerdict::Kind::Drop) return;
    for (size_t i = 0; i < ifc.peers.size(); ++i) {
        const PortId port = static_cast<PortId>(i + 1);
        if (port == pe.port || (v.kind == SwitchVerdict::Kind::ToPort && v.port != port)) continue;
        if (!relay.slot()) relay.flush();
        std::memcpy(relay.slot()->buf + kHeadroom, p.data(), p.len);
        relay.seal_for(peers_[ifc.peers[i]], relay.take(p.len), now);
    }
    if (v.kind == SwitchVerdict::Kind::Flood || v.port == 0) to_device(ifc, pe.peer->stats(), p, now);
}

}  // namespace tvpn
