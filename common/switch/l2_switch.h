// The switch of one interface: where a frame that entered through one port
// (the interface itself, or a peer) goes. Learns the source from frames the
// caller vouches for (authenticated ones; clear-text peers' frames, which are
// spoofable), sends known unicast to its port, floods broadcast, multicast and
// unknown unicast to every other port (split horizon), with a per-port flood
// budget so a storm from one port cannot starve the others. O(1) per frame, no
// allocation after construction, time passed in.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/pwd/handshake_ratelimiter.h"
#include "common/switch/mac_table.h"

namespace tvpn {

// A flooded frame costs one token per copy (per port it goes to), so what one
// port may flood shrinks as the segment grows: with 64 peers about 300
// broadcasts a second, plenty for ARP, DHCP and neighbour discovery.
struct FloodLimits {
    uint64_t copies_per_second = 20000;  // per ingress port
    uint64_t burst = 5000;
};

struct SwitchVerdict {
    enum class Kind {
        ToPort,        // unicast to `port`
        Flood,         // to every port but the ingress
        Drop,          // see `why`
    } kind;
    PortId port = kNoPort;
    enum class Why { None, Runt, SamePort, FloodLimited } why = Why::None;
};

struct SwitchPortStats {
    uint64_t learned = 0, moved_in = 0, recycled = 0, refused = 0;
    uint64_t unicast = 0, flooded = 0, flood_limited = 0, same_port = 0;
};

class L2Switch {
public:
    L2Switch(const MacTableLimits& table, const FloodLimits& flood, uint64_t seed);

    // `frame` entered through `ingress`; `learn` says whether its source MAC
    // may be learned.
    SwitchVerdict forward(std::span<const uint8_t> frame, PortId ingress, bool learn, uint64_t now_ns);
    // Housekeeping, about once a second: ages the table.
    void tick(uint64_t now_ns) { table_.expire(now_ns); }
    void forget_port(PortId port) { table_.forget_port(port); }
    // What `old` knows of its port `from` (learnt MACs, counters) becomes
    // this switch's port `to`: a switch rebuilt when a peer comes or goes.
    void adopt_port(const L2Switch& old, PortId from, PortId to, uint64_t now_ns);

    const MacTable& table() const { return table_; }
    const SwitchPortStats& stats(PortId port) const { return stats_[port]; }

private:
    void count_learned(MacTable::Learned l, SwitchPortStats& s);

    MacTable table_;
    std::vector<TokenBucket> flood_;
    std::vector<SwitchPortStats> stats_;
};

}  // namespace tvpn
