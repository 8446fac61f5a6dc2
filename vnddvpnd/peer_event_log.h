// What the daemon logs about its peers, from their counters: the packet path
// only counts (no I/O there), and on each timer tick this compares the
// counters with the last tick's and writes the lines. Always (state
// changes): a peer up, not responding, responding again, its session gone;
// the path turning into a black hole. With -v (debug) also handshakes
// started, completed and failed (with the reason), endpoint moves, path MTU
// changes, and drops by reason, at most one line per reason and peer every
// kDropLogInterval with the count since the line before. Each line starts
// "IF peer NAME: " (or "IF: " for what no peer is to blame for).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "common/control/stats_report.h"
#include "common/datapath/datapath.h"
#include "common/log.h"
#include "vnddvpnd/count_report.h"

namespace tvpn {

constexpr uint64_t kDropLogInterval = 10'000'000'000;  // ns

class PeerEventLog {
public:
    PeerEventLog(const Datapath& datapath, Logger& log, uint64_t now_ns);
    void tick(uint64_t now_ns);
    // Takes the datapath's peers as they are now, saying nothing about the
    // difference: after peers were added or removed (a reload). tick() does
    // it by itself when the number of peers or interfaces changed.
    void reset(uint64_t now_ns);

private:
    // What a peer looked like at the last tick.
    struct Seen {
        PeerState state = PeerState::Clear;
        bool was_up = false;
        HandshakeCounts handshakes;
        uint64_t moves = 0;
        Endpoint endpoint;
        uint32_t path_mtu = 0;
        uint64_t black_holes = 0;
        std::array<CountReport, kPeerDrops> drops;
        std::array<CountReport, 3> failures;  // auth failed, unconfirmed, rate-limited
    };
    void peer_tick(size_t index, uint64_t now);
    void state_changed(const std::string& who, Seen& seen, const CodecMetrics& m, uint64_t now);
    void handshakes(const std::string& who, Seen& seen, const CodecMetrics& m, bool came_up, uint64_t now);
    void path(const std::string& who, Seen& seen, const CodecMetrics& m);
    void endpoint(const std::string& who, Seen& seen, const Peer& p);
    template <size_t N>
    void drops(const std::string& who, std::array<CountReport, N>& reports, const std::array<uint64_t, N>& counts,
               const char* (*name)(size_t), uint64_t now);

    const Datapath& datapath_;
    Logger& log_;
    std::vector<Seen> peers_;
    std::vector<std::array<CountReport, kInterfaceDrops>> interfaces_;
};

}  // namespace tvpn
