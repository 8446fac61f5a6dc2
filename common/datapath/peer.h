// One peer of an interface: where its datagrams go (its endpoint), how its
// frames are sealed and opened (its codec), its counters. The endpoint moves
// only to the source of a datagram the codec authenticated and replay-checked
// (WireGuard's roaming rule); a peer with a codec that cannot authenticate
// (clear text, -cipher des) keeps the endpoint it was given. A peer whose
// address is not known in advance (`any`) has no endpoint until its first
// authenticated handshake. No I/O, no clock: time is passed in.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/endpoint.h"
#include "common/codec/frame_codec.h"
#include "common/datapath/tunnel_stats.h"

namespace tvpn {

struct PeerConfig {
    std::string ifname;
    std::string name;                // the tunnel's name, alike at both ends (defaults to ifname)
    Endpoint local;
    std::optional<Endpoint> remote;  // nullopt: `any`, learned
    std::string remote_host = {};    // the host name `remote` was resolved from (empty: a numeric address)
    std::string remote_port = {};
};

// How log lines name a peer: "vlan3 peer site-b".
std::string log_name(const PeerConfig& config);

class Peer {
public:
    Peer(PeerConfig config, std::unique_ptr<FrameCodec> codec);

    const PeerConfig& config() const { return config_; }
    const TunnelStats& stats() const { return stats_; }
    TunnelStats& stats() { return stats_; }
    const FrameCodec& codec() const { return *codec_; }
    FrameCodec& codec() { return *codec_; }

    bool has_endpoint() const { return has_endpoint_; }
    // Another address the peer's host name now resolves to: the codec's own
    // datagrams (handshakes) go there too, and the endpoint moves to it only
    // when an authenticated datagram comes from it (the roaming rule).
    void set_candidate(const Endpoint& e) { candidate_ = e; }
    void clear_candidate() { candidate_.reset(); }
    const std::optional<Endpoint>& candidate() const { return candidate_; }
    const Endpoint& endpoint() const { return endpoint_; }
    // The endpoint differs from the configured one (learned or moved).
    bool endpoint_learned() const { return learned_; }
    uint64_t endpoint_moves() const { return moves_; }
    // Whether the endpoint may move: only a codec that authenticates lets it.
    bool roams() const { return codec_->authenticates(); }

    // A frame read from the interface: turn it into a datagram for the peer.
    // False: drop it (counted).
    bool outbound(Packet& pkt, uint64_t now_ns);

    // True when a datagram from `pkt.addr` comes from the peer's endpoint.
    bool is_peer(const Packet& pkt) const;

    // A datagram for this peer: true when it became a frame for the
    // interface; false when it was a control message or dropped (counted).
    // `moved` is set when it authenticated from a new address and the
    // endpoint followed it.
    bool inbound(Packet& pkt, uint64_t now_ns, bool& moved);
    // Whether the last inbound() datagram was authenticated by the codec.
    bool last_authentic() const { return last_authentic_; }

    void tick(uint64_t now_ns) { codec_->tick(now_ns); }
    void set_control_sink(ControlSink* sink) { codec_->set_control_sink(sink); }

private:
    bool follow(const Packet& pkt);

    PeerConfig config_;
    std::unique_ptr<FrameCodec> codec_;
    TunnelStats stats_;
    Endpoint endpoint_;
    std::optional<Endpoint> candidate_;
    bool has_endpoint_ = false, learned_ = false, last_authentic_ = false;
    uint64_t moves_ = 0;
};

}  // namespace tvpn
