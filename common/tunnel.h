// One tunnel's protocol core: an interface, a local and a remote endpoint, a
// codec, counters. It does no I/O and reads no clock (time is passed in), so
// two tunnels can be tested against each other in one process.
#pragma once

#include <memory>
#include <string>

#include "common/endpoint.h"
#include "common/frame_codec.h"
#include "common/tunnel_stats.h"

namespace tvpn {

struct TunnelConfig {
    std::string ifname;
    Endpoint local;
    Endpoint remote;
};

class Tunnel {
public:
    Tunnel(TunnelConfig config, std::unique_ptr<FrameCodec> codec);

    const TunnelConfig& config() const { return config_; }
    const TunnelStats& stats() const { return stats_; }
    TunnelStats& stats() { return stats_; }
    const FrameCodec& codec() const { return *codec_; }

    // A frame read from the interface: turn it into a datagram for the peer.
    // False: drop it (counted).
    bool outbound(Packet& pkt, uint64_t now_ns);

    // True when a datagram from `pkt.addr` belongs to this tunnel.
    bool is_peer(const Packet& pkt) const;

    // A datagram from the peer: true when it became a frame for the
    // interface; false when it was a control message or dropped (counted).
    bool inbound(Packet& pkt, uint64_t now_ns);

    // Timers; forwards to the codec.
    void tick(uint64_t now_ns) { codec_->tick(now_ns); }
    // Where the codec's own datagrams go; set by whoever owns the socket.
    void set_control_sink(ControlSink* sink) { codec_->set_control_sink(sink); }

private:
    TunnelConfig config_;
    std::unique_ptr<FrameCodec> codec_;
    TunnelStats stats_;
};

}  // namespace tvpn
