// What a codec knows about its peer, as numbers: whether the peer is there,
// its handshakes, the path it probed and the frames it cut. Read by control
// code (vnddconfig show, the daemon's event log) between packets; filling it
// costs no I/O and no allocation.
#pragma once

#include <cstdint>

namespace tvpn {

// A peer as monitoring sees it. Clear: a codec without a handshake (clear
// text, -cipher des), which cannot tell whether the peer is there.
enum class PeerState : uint8_t { Clear, Waiting, Handshaking, Up, NotResponding, Count };

// "clear", "waiting", "handshaking", "up", "not-responding".
const char* peer_state_name(PeerState state);

struct HandshakeCounts {
    uint64_t initiated = 0;     // by us (first ones, retries and rekeys)
    uint64_t completed = 0;     // sessions established, either role
    uint64_t auth_failed = 0;   // a message that did not verify: a wrong password, or forged
    uint64_t unconfirmed = 0;   // answers never confirmed: lost, a wrong password, or a guess
    uint64_t rate_limited = 0;  // handshake messages refused by the rate limits
};

struct CodecMetrics {
    const char* codec = "clear";       // "clear", "des", "pwd"
    PeerState state = PeerState::Clear;
    uint64_t last_handshake_ns = 0;     // monotonic; 0: never
    uint64_t last_authenticated_ns = 0; // the last datagram that authenticated; 0: never (or cannot tell)
    HandshakeCounts handshakes;
    uint32_t path_mtu = 0;              // the underlay packet size the probes confirmed; 0: not probed
    uint64_t path_black_holes = 0;      // times the path stopped carrying the size in use
    uint64_t fragments_sent = 0;
    uint64_t frames_fragmented = 0;     // frames cut into those fragments
    uint64_t frames_reassembled = 0;
    uint64_t reassembly_timed_out = 0;  // frames whose pieces did not all arrive in time
    uint64_t reassembly_evicted = 0;    // incomplete frames pushed out by newer ones
};

}  // namespace tvpn
