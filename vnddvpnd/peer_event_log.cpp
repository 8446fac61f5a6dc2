#include "vnddvpnd/peer_event_log.h"

#include <cstdio>

#include "vnddvpnd/stats_collect.h"

namespace tvpn {
namespace {

std::string seconds(uint64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ns) / 1e9);
    return buf;
}

std::string times(uint64_t n) { return n == 1 ? "" : " (" + std::to_string(n) + " times)"; }

}  // namespace

PeerEventLog::PeerEventLog(const Datapath& datapath, Logger& log, uint64_t now_ns) : datapath_(datapath), log_(log) {
    reset(now_ns);
}

void PeerEventLog::reset(uint64_t now_ns) {
    peers_.assign(datapath_.peers().size(), Seen{});
    interfaces_.assign(datapath_.interfaces().size(), {});
    for (size_t i = 0; i < peers_.size(); ++i) {
        const Peer& p = *datapath_.peers()[i].peer;
        const CodecMetrics m = p.codec().metrics(now_ns);
        Seen& s = peers_[i];
        s.state = m.state;
        s.was_up = m.state == PeerState::Up;
        s.handshakes = m.handshakes;
        s.moves = p.endpoint_moves();
        s.endpoint = p.endpoint();
        s.path_mtu = m.path_mtu;
        s.black_holes = m.path_black_holes;
        const auto& pe = datapath_.peers()[i];
        const auto drops = peer_drop_counts(datapath_.interfaces()[pe.interface], pe, m);
        for (size_t r = 0; r < kPeerDrops; ++r) s.drops[r].start(drops[r]);
        s.failures[0].start(m.handshakes.auth_failed);
        s.failures[1].start(m.handshakes.unconfirmed);
        s.failures[2].start(m.handshakes.rate_limited);
    }
    for (size_t i = 0; i < interfaces_.size(); ++i) {
        const auto drops = interface_drop_counts(datapath_, datapath_.interfaces()[i]);
        for (size_t r = 0; r < kInterfaceDrops; ++r) interfaces_[i][r].start(drops[r]);
    }
}

void PeerEventLog::tick(uint64_t now_ns) {
    if (peers_.size() != datapath_.peers().size() || interfaces_.size() != datapath_.interfaces().size()) {
        reset(now_ns);
        return;
    }
    for (size_t i = 0; i < peers_.size(); ++i) peer_tick(i, now_ns);
    if (!log_.enabled(LogLevel::Debug)) return;
    for (size_t i = 0; i < interfaces_.size(); ++i) {
        const auto& ifc = datapath_.interfaces()[i];
        drops(ifc.device->name(), interfaces_[i], interface_drop_counts(datapath_, ifc), interface_drop_name, now_ns);
    }
}

void PeerEventLog::peer_tick(size_t index, uint64_t now) {
    const auto& pe = datapath_.peers()[index];
    const Peer& p = *pe.peer;
    const CodecMetrics m = p.codec().metrics(now);
    Seen& seen = peers_[index];
    const bool changed = m.state != seen.state;
    const std::string who = log_name(p.config());
    handshakes(who, seen, m, changed && m.state == PeerState::Up, now);
    if (changed) state_changed(who, seen, m, now);
    path(who, seen, m);
    endpoint(who, seen, p);
    if (log_.enabled(LogLevel::Debug))
        drops(who, seen.drops, peer_drop_counts(datapath_.interfaces()[pe.interface], pe, m), peer_drop_name, now);
}

void PeerEventLog::state_changed(const std::string& who, Seen& seen, const CodecMetrics& m, uint64_t now) {
    const PeerState from = seen.state, to = m.state;
    seen.state = to;
    if (to == PeerState::NotResponding) {
        const uint64_t silent = m.last_authenticated_ns && now > m.last_authenticated_ns ? now - m.last_authenticated_ns : 0;
        log_.warning(who + ": not responding: no authenticated packet for " + seconds(silent));
    } else if (from == PeerState::NotResponding) {
        log_.info(who + ": responding again" + (to == PeerState::Up ? "" : std::string(" (") + peer_state_name(to) + ")"));
    } else if (to == PeerState::Up) {
        log_.info(who + ": up: handshake complete, " + (seen.was_up ? "new session" : "session established"));
    } else if (from == PeerState::Up) {
        log_.info(who + ": no session any more: " + peer_state_name(to));
    } else {
        log_.debug(who + ": " + peer_state_name(to));
    }
    seen.was_up = seen.was_up || to == PeerState::Up;
}

void PeerEventLog::handshakes(const std::string& who, Seen& seen, const CodecMetrics& m, bool came_up, uint64_t now) {
    const HandshakeCounts& h = m.handshakes;
    if (h.initiated > seen.handshakes.initiated)
        log_.debug(who + ": handshake started" + times(h.initiated - seen.handshakes.initiated));
    // Coming up said so already at info.
    const uint64_t completed = h.completed - seen.handshakes.completed - (came_up && h.completed > seen.handshakes.completed);
    if (completed) log_.debug(who + ": handshake complete, new session" + times(completed));
    static constexpr const char* kWhy[] = {
        "handshake failed: a message did not verify (a wrong password, or forged)",
        "handshake failed: our answer was never confirmed (lost, a wrong password, or someone guessing it)",
        "handshake messages refused by the rate limits",
    };
    const uint64_t counts[] = {h.auth_failed, h.unconfirmed, h.rate_limited};
    for (size_t i = 0; i < std::size(kWhy); ++i)
        if (const auto d = seen.failures[i].due(counts[i], now, kDropLogInterval); d.count)
            log_.debug(who + ": " + kWhy[i] + times(d.count) + (d.since_ns ? " in " + seconds(d.since_ns) : ""));
    seen.handshakes = h;
}

void PeerEventLog::path(const std::string& who, Seen& seen, const CodecMetrics& m) {
    if (m.path_black_holes > seen.black_holes)
        log_.warning(who + ": the path stopped carrying " + std::to_string(seen.path_mtu) +
                     "-byte packets: path MTU back to " + std::to_string(m.path_mtu) + ", probing again");
    else if (m.path_mtu != seen.path_mtu)
        log_.debug(who + ": path MTU now " + std::to_string(m.path_mtu) + " (was " + std::to_string(seen.path_mtu) + ")");
    seen.path_mtu = m.path_mtu;
    seen.black_holes = m.path_black_holes;
}

void PeerEventLog::endpoint(const std::string& who, Seen& seen, const Peer& p) {
    if (p.endpoint_moves() == seen.moves) return;
    const bool had = seen.endpoint.len() != 0;
    log_.debug(who + ": endpoint now " + p.endpoint().to_string() +
               (had ? " (was " + seen.endpoint.to_string() + ")" : "") + times(p.endpoint_moves() - seen.moves));
    seen.moves = p.endpoint_moves();
    seen.endpoint = p.endpoint();
}

template <size_t N>
void PeerEventLog::drops(const std::string& who, std::array<CountReport, N>& reports, const std::array<uint64_t, N>& counts,
                         const char* (*name)(size_t), uint64_t now) {
    for (size_t r = 0; r < N; ++r)
        if (const auto d = reports[r].due(counts[r], now, kDropLogInterval); d.count)
            log_.debug(who + ": dropped " + std::to_string(d.count) + " (" + name(r) + ")" +
                       (d.since_ns ? " in " + seconds(d.since_ns) : ""));
}

}  // namespace tvpn
