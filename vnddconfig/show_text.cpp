#include "vnddconfig/show_text.h"

#include "common/human_units.h"

namespace tvpn {
namespace {

std::string state_text(const PeerReport& p) {
    switch (p.state) {
        case PeerState::Clear: return p.codec == "des" ? "no handshake (-cipher des)" : "clear text (no handshake)";
        case PeerState::Waiting: return "waiting for the peer's handshake";
        case PeerState::Handshaking: return "handshaking";
        case PeerState::Up: return "up";
        case PeerState::NotResponding: return "NOT RESPONDING";
        case PeerState::Count: break;
    }
    return "?";
}

std::string age_text(const std::optional<uint64_t>& age_ms) { return age_ms ? human_age(*age_ms) : "never"; }

// "auth 3, replay 1", or "none".
template <size_t N>
std::string drops_text(const std::array<uint64_t, N>& drops, const char* (*name)(size_t)) {
    std::string out;
    for (size_t i = 0; i < N; ++i)
        if (drops[i]) out += (out.empty() ? "" : ", ") + std::string(name(i)) + " " + std::to_string(drops[i]);
    return out.empty() ? "none" : out;
}

std::string traffic(uint64_t bytes, uint64_t packets) {
    return human_bytes(bytes) + " (" + std::to_string(packets) + " packets)";
}

void peer(std::string& out, const PeerReport& p) {
    out += "  peer " + p.name + ": " + state_text(p) + "\n";
    out += "    endpoint: " + (p.endpoint.empty() ? std::string("none yet (any)") : p.endpoint) +
           (p.endpoint_learned ? " (learned)" : "") +
           (p.endpoint_moves ? ", moved " + std::to_string(p.endpoint_moves) + " times" : "") + "\n";
    if (p.codec == "pwd") {
        out += "    last handshake: " + age_text(p.last_handshake_ms) + " (" + std::to_string(p.handshakes_completed) +
               " completed, " + std::to_string(p.handshakes_initiated) + " initiated, " +
               std::to_string(p.handshakes_auth_failed + p.handshakes_unconfirmed) + " failed)\n";
    }
    out += "    last received: " + age_text(p.last_receive_ms) + "\n";
    out += "    traffic: received " + traffic(p.receive_bytes, p.receive_packets) + ", sent " +
           traffic(p.transmit_bytes, p.transmit_packets) + "\n";
    out += "    drops: " + drops_text(p.drops, peer_drop_name) + "\n";
    out += "    path MTU: " + (p.path_mtu ? std::to_string(*p.path_mtu) : std::string("not probed")) +
           "; fragments: " + std::to_string(p.fragments_sent) + " sent (" + std::to_string(p.frames_fragmented) +
           " frames), " + std::to_string(p.frames_reassembled) + " frames reassembled\n";
}

void interface(std::string& out, const ShownInterface& shown) {
    if (!shown.report) {
        out += "interface " + shown.name + ": no daemon (" + shown.problem + ")\n";
        return;
    }
    const InterfaceReport& r = *shown.report;
    std::string listen;
    for (const auto& l : r.listen) listen += (listen.empty() ? "" : ", ") + l;
    out += "interface " + r.name + ": backend " + r.backend + ", MTU " + std::to_string(r.mtu) + ", listening on " +
           (listen.empty() ? "nothing" : listen) + "\n";
    out += "  drops: " + drops_text(r.drops, interface_drop_name) + "\n";
    for (const auto& p : r.peers) peer(out, p);
}

}  // namespace

std::string show_text(const std::vector<ShownInterface>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        if (i) out += "\n";
        interface(out, interfaces[i]);
    }
    if (interfaces.empty()) out = "no vnddvpnd is running\n";
    return out;
}

}  // namespace tvpn
