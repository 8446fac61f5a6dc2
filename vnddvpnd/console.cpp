#include "vnddvpnd/console.h"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>

#include "common/clock.h"
#include "common/time_format.h"
#include "vnddvpnd/options.h"

namespace tvpn {

namespace {

// What fits the path: a codec that probes it says so in its own lines; for
// the others, what the route carries whole. And what MSS clamping did.
void append_path(std::string& out, const Datapath& datapath, const Datapath::PeerEntry& pe) {
    char line[256];
    const auto& ifc = datapath.interfaces()[pe.interface];
    if (!pe.peer->codec().fragments_itself()) {
        std::snprintf(line, sizeof line,
                      "  path: not probed (one frame per datagram, never DF): frames over %zu bytes are "
                      "IP-fragmented on the way\n",
                      pe.route_frame);
        out += line;
    }
    std::snprintf(line, sizeof line, "  MSS clamp: TCP segments fit frames of %zu bytes; %" PRIu64 " SYNs clamped\n",
                  ifc.clamp_frame, pe.peer->stats().mss_clamped);
    out += line;
}

void append_drops(std::string& out, const TunnelStats& s) {
    char item[64];
    out += "  drops:";
    for (size_t r = 0; r < static_cast<size_t>(DropReason::Count); ++r) {
        std::snprintf(item, sizeof item, " %s=%" PRIu64, drop_reason_name(static_cast<DropReason>(r)), s.drops[r]);
        out += item;
    }
}

std::string endpoint_text(const Peer& p) {
    if (!p.has_endpoint()) return "any (not heard from yet)";
    return p.endpoint().to_string() + (p.endpoint_learned() ? " (learned)" : "");
}

void append_peer(std::string& out, const Datapath& datapath, const Datapath::PeerEntry& pe, bool switched,
                 uint64_t now_ns) {
    char line[320];
    const Peer& t = *pe.peer;
    const TunnelStats& s = t.stats();
    const auto& sock = datapath.sockets()[pe.socket_index];
    std::snprintf(line, sizeof line, "tunnel %s: %s -> %s (%s)\n", t.config().ifname.c_str(),
                  t.config().local.to_string().c_str(), endpoint_text(t).c_str(), t.codec().name());
    out += line;
    if (t.config().name != t.config().ifname || switched) out += "  name: " + t.config().name + "\n";
    std::snprintf(line, sizeof line,
                  "  out: %" PRIu64 " frames, %" PRIu64 " bytes; in: %" PRIu64 " frames, %" PRIu64 " bytes\n",
                  s.frames_out, s.bytes_out, s.frames_in, s.bytes_in);
    out += line;
    if (s.gso_frames || s.gro_frames) {
        std::snprintf(line, sizeof line,
                      "  offload: %" PRIu64 " super-frames split into %" PRIu64 " frames; %" PRIu64
                      " frames coalesced into %" PRIu64 " writes\n",
                      s.gso_frames, s.gso_segments, s.gro_segments, s.gro_frames);
        out += line;
    }
    append_path(out, datapath, pe);
    append_drops(out, s);
    std::snprintf(line, sizeof line, " unknown-source(socket)=%" PRIu64 "\n", sock.unknown_source);
    out += line;
    if (t.endpoint_moves()) out += "  endpoint moves: " + std::to_string(t.endpoint_moves()) + "\n";
    out += "  last frame from peer: " + seconds_ago(s.last_rx_ns, now_ns) + "\n";
    out += t.codec().status(now_ns);
}

// The switch of an interface with several peers: what it learnt where, what it refused.
void append_switch(std::string& out, const Datapath::Interface& ifc, PortId port, uint64_t now_ns) {
    const SwitchPortStats& st = ifc.sw->stats(port);
    char line[256];
    std::snprintf(line, sizeof line,
                  "  switch: %zu MACs (share %zu); learned=%" PRIu64 " moved-in=%" PRIu64 " recycled=%" PRIu64
                  " unicast=%" PRIu64 " flooded=%" PRIu64 " flood-limited=%" PRIu64 " same-port=%" PRIu64 "\n",
                  ifc.sw->table().port_entries(port), ifc.sw->table().share(), st.learned, st.moved_in, st.recycled,
                  st.unicast, st.flooded, st.flood_limited, st.same_port);
    out += line;
    std::string macs;
    size_t shown = 0;
    ifc.sw->table().for_each(port, now_ns, [&](const uint8_t* m, uint64_t) {
        if (shown++ >= 8) return;
        char mac[24];
        std::snprintf(mac, sizeof mac, " %02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
        macs += mac;
    });
    if (!macs.empty()) out += "  MACs:" + macs + (shown > 8 ? " ..." : "") + "\n";
}

}  // namespace

std::string format_status(const Datapath& datapath, uint64_t now_ns, std::string_view only) {
    std::string out;
    for (const auto& ifc : datapath.interfaces()) {
        if (!only.empty() && ifc.device->name() != only) continue;
        const bool switched = ifc.sw != nullptr;
        if (switched) {
            out += "interface " + ifc.device->name() + ": " + std::to_string(ifc.peers.size()) + " peers\n";
            append_switch(out, ifc, 0, now_ns);
            append_drops(out, ifc.stats);
            out += "\n";
        }
        for (size_t i : ifc.peers) {
            const auto& pe = datapath.peers()[i];
            append_peer(out, datapath, pe, switched, now_ns);
            if (switched) append_switch(out, ifc, pe.port, now_ns);
        }
    }
    return out;
}

void Console::prompt() {
    std::fputs("vnddvpnd> ", stdout);
    std::fflush(stdout);
}

void Console::on_input() {
    char buf[512];
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {  // end of input: the console is gone, the tunnels stay
        loop_.remove(STDIN_FILENO);
        return;
    }
    pending_.append(buf, static_cast<size_t>(n));
    if (pending_.size() > 4096) pending_.clear();  // a runaway line is not a command
    size_t nl;
    while ((nl = pending_.find('\n')) != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        run(line);
    }
}

void Console::run(const std::string& raw) {
    size_t b = raw.find_first_not_of(" \t\r");
    size_t e = raw.find_last_not_of(" \t\r");
    std::string cmd = b == std::string::npos ? "" : raw.substr(b, e - b + 1);
    if (cmd == "help") {
        std::fputs("commands: help, usage, status, quit\n", stdout);
    } else if (cmd == "usage") {
        std::fputs(vnddvpnd_usage(), stdout);
    } else if (cmd == "status") {
        std::fputs(format_status(datapath_, monotonic_ns()).c_str(), stdout);
    } else if (cmd == "quit" || cmd == "exit") {
        loop_.stop();
        return;
    } else if (!cmd.empty()) {
        std::printf("unknown command '%s'; type help\n", cmd.c_str());
    }
    prompt();
}

}  // namespace tvpn
