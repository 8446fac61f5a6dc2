#include "vnddvpnd/console.h"

#include <unistd.h>

#include <cinttypes>
#include <cstdio>

#include "common/clock.h"
#include "vnddvpnd/options.h"

namespace tvpn {

namespace {

std::string format_age(uint64_t last_ns, uint64_t now_ns) {
    if (last_ns == 0) return "never";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s ago", static_cast<double>(now_ns - last_ns) / 1e9);
    return buf;
}

}  // namespace

std::string format_status(const Datapath& datapath, uint64_t now_ns) {
    std::string out;
    char line[256];
    for (const auto& b : datapath.bindings()) {
        const Tunnel& t = *b.tunnel;
        const TunnelStats& s = t.stats();
        const auto& sock = datapath.sockets()[b.socket_index];
        std::snprintf(line, sizeof line, "tunnel %s: %s -> %s (%s)\n", t.config().ifname.c_str(),
                      t.config().local.to_string().c_str(), t.config().remote.to_string().c_str(), t.codec().name());
        out += line;
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
        out += "  drops:";
        for (size_t r = 0; r < static_cast<size_t>(DropReason::Count); ++r) {
            std::snprintf(line, sizeof line, " %s=%" PRIu64, drop_reason_name(static_cast<DropReason>(r)), s.drops[r]);
            out += line;
        }
        std::snprintf(line, sizeof line, " unknown-source(socket)=%" PRIu64 "\n", sock.unknown_source);
        out += line;
        out += "  last frame from peer: " + format_age(s.last_rx_ns, now_ns) + "\n";
        out += t.codec().status(now_ns);
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
