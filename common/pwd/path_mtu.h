// Packetization-layer path MTU discovery for one peer (RFC 8899, in the
// form a tunnel needs): the tunnel sends padded probes that the peer
// acknowledges, and learns from the acknowledgements alone how large a
// datagram the path carries; ICMP is never trusted. A search between the
// base (1280, which every IPv6 path and practically every IPv4 path carries)
// and what the largest frame needs; confirmation probes that notice the path
// shrinking (a black hole) and fall back to the base at once; a periodic
// probe upward to notice it grew. Sizes are IP packet sizes on the underlay.
// No I/O, no clock: the owner sends the probes and passes the time in.
#pragma once

#include <cstdint>
#include <optional>

namespace tvpn {

class PathMtu {
public:
    enum class State { Base, Searching, Complete, BlackHole };

    static constexpr uint32_t kBase = 1280;
    static constexpr uint32_t kGranularity = 8;                    // stop searching within this
    static constexpr uint64_t kProbeTimeout = 1'000'000'000;       // ns without an acknowledgement: lost
    static constexpr unsigned kMaxProbes = 3;                      // losses of one size before it fails
    static constexpr uint64_t kConfirmInterval = 10'000'000'000;   // re-check the size in use
    // Look for a larger path this often: RFC 8899 suggests 600 s, but one
    // probe a minute costs a tunnel nothing, and a path that grew back (a
    // failover that ended) should not fragment frames for ten minutes.
    static constexpr uint64_t kRaiseInterval = 60'000'000'000;

    // `max`: the size the largest frame needs (or the local link allows).
    explicit PathMtu(uint32_t max);

    // The largest size known to pass (the base until a probe confirms more).
    uint32_t current() const { return confirmed_; }
    State state() const { return state_; }
    uint32_t max() const { return max_; }
    // The owner's link or interface MTU changed: searches again.
    void set_max(uint32_t max, uint64_t now_ns);

    // A probe of this size should leave now (at most one is outstanding).
    std::optional<uint32_t> probe_due(uint64_t now_ns);
    void probe_sent(uint32_t size, uint64_t now_ns);
    // The peer acknowledged a probe of `size`.
    void acknowledged(uint32_t size, uint64_t now_ns);
    // Notices lost probes; call on every timer tick.
    void tick(uint64_t now_ns);

    uint64_t probes_sent() const { return probes_; }
    uint64_t black_holes() const { return black_holes_; }

private:
    void search_from_top(uint64_t now_ns);
    void bisect(uint64_t now_ns);
    void complete(uint64_t now_ns);
    void probe_failed(uint64_t now_ns);

    uint32_t max_;
    uint32_t confirmed_ = kBase;
    uint32_t ceiling_;         // sizes above this failed during this search
    uint32_t candidate_ = kBase;
    State state_ = State::Base;
    bool outstanding_ = false;
    unsigned losses_ = 0;      // of the current candidate
    uint64_t sent_ns_ = 0;
    uint64_t next_ns_ = 0;     // when the next probe is due
    uint64_t raise_at_ns_ = 0; // when to look for a larger path
    uint64_t probes_ = 0, black_holes_ = 0;
};

}  // namespace tvpn
