// Per-tunnel counters: traffic both ways and every drop by its reason.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tvpn {

enum class DropReason : uint8_t {
    NotFromPeer,   // datagram from an address that is not the tunnel's remote
    Truncated,     // did not fit a buffer
    Malformed,     // failed a length or format check
    TooBig,        // frame too large to encapsulate
    DeviceError,   // the interface refused a frame
    SendError,     // the UDP socket refused a datagram
    Auth,          // failed authentication (tampered, wrong key, forged)
    Replay,        // counter already seen or older than the replay window
    BadVersion,    // unknown protocol version or message type
    NoSession,     // no session key yet (handshake pending) or session expired
    RateLimited,   // handshake message over the rate limit
    CryptoError,   // a cryptographic operation or the random generator failed: not sent
    WrongName,     // a handshake for a tunnel of another -name
    QueueFull,     // a frame from the interface dropped by its full fair queue (a bulk flow's excess)
    Count
};

const char* drop_reason_name(DropReason reason);

struct TunnelStats {
    uint64_t frames_out = 0;  // device -> peer
    uint64_t bytes_out = 0;
    uint64_t frames_in = 0;   // peer -> device
    uint64_t bytes_in = 0;
    uint64_t last_rx_ns = 0;
    uint64_t gso_frames = 0;     // super-frames from the device (TSO/USO) split here
    uint64_t gso_segments = 0;   // the frames they became
    uint64_t gro_frames = 0;     // super-frames written to the device after coalescing
    uint64_t gro_segments = 0;   // the frames from the peer they were made of
    uint64_t mss_clamped = 0;    // TCP SYNs whose MSS was lowered to fit the path
    std::array<uint64_t, static_cast<std::size_t>(DropReason::Count)> drops{};

    void drop(DropReason reason, uint64_t n = 1) { drops[static_cast<std::size_t>(reason)] += n; }
    uint64_t dropped(DropReason reason) const { return drops[static_cast<std::size_t>(reason)]; }
};

}  // namespace tvpn
