#include "vnddvpnd/service_status.h"

#include "common/human_units.h"

namespace tvpn {

ServiceSummary summarize(const Datapath& datapath) {
    ServiceSummary s;
    for (const auto& pe : datapath.peers()) {
        ++s.peers;
        const FrameCodec& c = pe.peer->codec();
        ++(c.peer_responding() && c.has_session() ? s.up : s.not_responding);  // handshaking counts as not yet
        s.bytes_in += pe.peer->stats().bytes_in;
        s.bytes_out += pe.peer->stats().bytes_out;
    }
    return s;
}

std::string summary_line(const ServiceSummary& s) {
    std::string out = std::to_string(s.peers) + (s.peers == 1 ? " peer: " : " peers: ") + std::to_string(s.up) +
                      " up, " + std::to_string(s.not_responding) + " not responding";
    return out + "; in " + human_bytes(s.bytes_in) + ", out " + human_bytes(s.bytes_out);
}

}  // namespace tvpn
