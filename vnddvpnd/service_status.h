// The one-line summary of a running daemon that systemd shows (sd_notify
// STATUS=, `systemctl status`): its peers, how many respond, its traffic.
#pragma once

#include <cstdint>
#include <string>

#include "common/datapath/datapath.h"

namespace tvpn {

// A peer is up when it responds and has a session; until then (the first
// handshake) and once it stops answering it is not responding.
struct ServiceSummary {
    size_t peers = 0, up = 0, not_responding = 0;
    uint64_t bytes_in = 0, bytes_out = 0;
    // Whether the peers' states differ (traffic aside): worth telling at once.
    bool same_state(const ServiceSummary& o) const {
        return peers == o.peers && up == o.up && not_responding == o.not_responding;
    }
};

ServiceSummary summarize(const Datapath& datapath);

// "3 peers: 2 up, 1 not responding; in 1.5 MiB, out 20.0 KiB"
std::string summary_line(const ServiceSummary& s);

}  // namespace tvpn
