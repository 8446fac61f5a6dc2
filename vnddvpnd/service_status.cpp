#include "vnddvpnd/service_status.h"

#include <cstdio>

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

std::string human_bytes(uint64_t bytes) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double v = static_cast<double>(bytes) / 1024;
    size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(kUnits)) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
    return buf;
}

std::string summary_line(const ServiceSummary& s) {
    std::string out = std::to_string(s.peers) + (s.peers == 1 ? " peer: " : " peers: ") + std::to_string(s.up) +
                      " up, " + std::to_string(s.not_responding) + " not responding";
    return out + "; in " + human_bytes(s.bytes_in) + ", out " + human_bytes(s.bytes_out);
}

}  // namespace tvpn
