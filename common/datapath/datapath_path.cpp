// How the packet path fits frames to the path to each peer: the interface's
// MTU tells the codecs the largest frame; sockets of codecs that cut frames
// themselves carry DF, the others never do; TCP SYNs in both directions get
// their MSS clamped so that TCP segments fit one datagram on every peer's
// path; a frame larger than the interface's MTU is dropped and counted.
#include <algorithm>

#include "common/datapath/datapath.h"
#include "common/datapath/mss_clamp.h"
#include "common/datapath/kernel_mtu.h"

namespace tvpn {

size_t Datapath::PeerEntry::max_frame() const {
    const size_t probed = peer->codec().max_whole_frame();
    return probed ? probed : route_frame;
}

void Datapath::set_mtu(size_t interface, size_t mtu) {
    Interface& ifc = interfaces_[interface];
    ifc.largest_frame = mtu + kEthHeaderMax;
    for (size_t i : ifc.peers) {
        PeerEntry& pe = peers_[i];
        pe.peer->codec().set_path(ifc.largest_frame, ip_udp_overhead(pe.peer->config().local.family()));
    }
    update_clamp(ifc);
}

// The smallest of the peers' paths: a flooded SYN's connection may go to any.
void Datapath::update_clamp(Interface& ifc) {
    size_t clamp = ifc.largest_frame;
    for (size_t i : ifc.peers) clamp = std::min(clamp, peers_[i].max_frame());
    ifc.clamp_frame = clamp;
}

// DF on a socket is all or nothing: its peers must agree on it.
Status Datapath::choose_fragmentation(SocketEntry& s, const Peer& peer) {
    const bool df = peer.codec().fragments_itself();
    if (!s.peers.empty()) {
        if (s.socket.dont_fragment() == df) return {};
        return Error{"tunnels on " + s.socket.local().to_string() +
                     " mix -pwd with clear text or -cipher des: give them different local ports (only -pwd cuts "
                     "frames to fit the path; the others need IP fragmentation, so their sockets cannot carry DF)"};
    }
    return s.socket.set_dont_fragment(df);
}

// A frame bigger than the interface's MTU allows (a misconfigured host) is
// dropped; a TCP SYN that fits gets its MSS lowered to what the paths carry.
bool Datapath::fits_and_clamp(Interface& ifc, TunnelStats& stats, Packet& p) {
    if (p.len > ifc.largest_frame) {
        stats.drop(DropReason::TooBig);
        return false;
    }
    if (clamp_mss(p.bytes(), ifc.clamp_frame, false) == MssClamp::Clamped) ++stats.mss_clamped;
    return true;
}

}  // namespace tvpn
