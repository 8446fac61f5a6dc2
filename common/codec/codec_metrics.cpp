#include "common/codec/codec_metrics.h"

namespace tvpn {

const char* peer_state_name(PeerState state) {
    switch (state) {
        case PeerState::Clear: return "clear";
        case PeerState::Waiting: return "waiting";
        case PeerState::Handshaking: return "handshaking";
        case PeerState::Up: return "up";
        case PeerState::NotResponding: return "not-responding";
        case PeerState::Count: break;
    }
    return "?";
}

}  // namespace tvpn
