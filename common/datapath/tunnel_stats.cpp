#include "common/datapath/tunnel_stats.h"

namespace tvpn {

const char* drop_reason_name(DropReason reason) {
    switch (reason) {
        case DropReason::NotFromPeer: return "not-from-peer";
        case DropReason::Truncated: return "truncated";
        case DropReason::Malformed: return "malformed";
        case DropReason::TooBig: return "too-big";
        case DropReason::DeviceError: return "device-error";
        case DropReason::SendError: return "send-error";
        case DropReason::Auth: return "auth";
        case DropReason::Replay: return "replay";
        case DropReason::BadVersion: return "bad-version";
        case DropReason::NoSession: return "no-session";
        case DropReason::WrongName: return "wrong-name";
        case DropReason::RateLimited: return "rate-limited";
        case DropReason::CryptoError: return "crypto-error";
        case DropReason::QueueFull: return "queue-full";
        case DropReason::Count: break;
    }
    return "?";
}

}  // namespace tvpn
