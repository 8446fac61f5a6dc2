#include "common/control/stats_report.h"

namespace tvpn {

const char* peer_drop_name(size_t index) {
    if (index < static_cast<size_t>(DropReason::Count)) return drop_reason_name(static_cast<DropReason>(index));
    switch (index) {
        case kReassemblyTimeoutDrop: return "reassembly-timeout";
        case kReassemblyEvictedDrop: return "reassembly-evicted";
        case kFloodLimitedDrop: return "flood-limited";
        default: return "?";
    }
}

const char* interface_drop_name(size_t index) {
    if (index < static_cast<size_t>(DropReason::Count)) return drop_reason_name(static_cast<DropReason>(index));
    return index == kUnknownSourceDrop ? "unknown-source" : "?";
}

std::span<const PeerCounter> peer_counters() {
    static constexpr PeerCounter kCounters[] = {
        {"receive_bytes", &PeerReport::receive_bytes, "Bytes of frames received from the peer and delivered to the interface."},
        {"receive_packets", &PeerReport::receive_packets, "Frames received from the peer and delivered to the interface."},
        {"transmit_bytes", &PeerReport::transmit_bytes, "Bytes of frames from the interface sent to the peer."},
        {"transmit_packets", &PeerReport::transmit_packets, "Frames from the interface sent to the peer."},
        {"fragments_sent", &PeerReport::fragments_sent, "Fragments sent: pieces of frames too large for the path."},
        {"frames_fragmented", &PeerReport::frames_fragmented, "Frames sent cut into fragments."},
        {"frames_reassembled", &PeerReport::frames_reassembled, "Frames put together from the peer's fragments."},
        {"handshakes_initiated", &PeerReport::handshakes_initiated, "Handshakes started by this end (first, retried, rekey)."},
        {"handshakes_completed", &PeerReport::handshakes_completed, "Handshakes completed: sessions established."},
        {"handshakes_auth_failed", &PeerReport::handshakes_auth_failed,
         "Handshake messages that did not verify (a wrong password, or forged)."},
        {"handshakes_unconfirmed", &PeerReport::handshakes_unconfirmed,
         "Handshakes answered but never confirmed (lost, a wrong password, or a guess)."},
        {"handshakes_rate_limited", &PeerReport::handshakes_rate_limited, "Handshake messages refused by the rate limits."},
        {"endpoint_moves", &PeerReport::endpoint_moves, "Times the peer's endpoint moved to a new address."},
        {"mss_clamped", &PeerReport::mss_clamped, "TCP SYNs whose MSS was lowered to fit the path."},
    };
    return kCounters;
}

}  // namespace tvpn
