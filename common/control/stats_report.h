// What `vnddconfig show` reports about an interface and its peers: the
// daemon fills it from its datapath (vnddvpnd/stats_collect.h), sends it as
// text (stats_wire.h), vnddconfig parses it back and prints it as text, JSON
// or Prometheus metrics. The tables below name every counter once, so that
// each format carries every one of them under the same key.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/codec/codec_metrics.h"
#include "common/datapath/tunnel_stats.h"

namespace tvpn {

// A peer's drops: the datapath's reasons (tunnel_stats.h), then frames its
// codec could not reassemble and floods its switch port held back.
constexpr size_t kPeerDrops = static_cast<size_t>(DropReason::Count) + 3;
constexpr size_t kReassemblyTimeoutDrop = static_cast<size_t>(DropReason::Count);
constexpr size_t kReassemblyEvictedDrop = kReassemblyTimeoutDrop + 1;
constexpr size_t kFloodLimitedDrop = kReassemblyTimeoutDrop + 2;
// An interface's drops: what no single peer is to blame for, and datagrams
// that no peer of its sockets claimed.
constexpr size_t kInterfaceDrops = static_cast<size_t>(DropReason::Count) + 1;
constexpr size_t kUnknownSourceDrop = static_cast<size_t>(DropReason::Count);

const char* peer_drop_name(size_t index);       // "auth", ..., "reassembly-timeout", "flood-limited"
const char* interface_drop_name(size_t index);  // "auth", ..., "unknown-source"

struct PeerReport {
    std::string name;
    std::string endpoint;  // "" while it has none (an `any` peer not heard from)
    bool endpoint_learned = false;
    std::string codec;     // "clear", "des", "pwd"
    PeerState state = PeerState::Clear;
    std::optional<uint64_t> last_handshake_ms;  // how long ago; nullopt: never
    std::optional<uint64_t> last_receive_ms;    // the last frame or authenticated datagram
    std::optional<uint32_t> path_mtu;           // nullopt: the codec does not probe the path
    uint64_t receive_bytes = 0, receive_packets = 0, transmit_bytes = 0, transmit_packets = 0;
    uint64_t fragments_sent = 0, frames_fragmented = 0, frames_reassembled = 0;
    uint64_t handshakes_initiated = 0, handshakes_completed = 0, handshakes_auth_failed = 0;
    uint64_t handshakes_unconfirmed = 0, handshakes_rate_limited = 0;
    uint64_t endpoint_moves = 0, mss_clamped = 0;
    std::array<uint64_t, kPeerDrops> drops{};
};

struct InterfaceReport {
    std::string name;
    std::string backend;              // "tap", "vndd"
    uint32_t mtu = 0;
    std::vector<std::string> listen;  // the local addresses its peers use
    std::array<uint64_t, kInterfaceDrops> drops{};
    std::vector<PeerReport> peers;
};

// One counter of a peer: its key in every format (the Prometheus metric is
// tvpn_peer_KEY_total) and what it counts.
struct PeerCounter {
    const char* key;
    uint64_t PeerReport::*member;
    const char* help;
};
std::span<const PeerCounter> peer_counters();

}  // namespace tvpn
