// TCP MSS clamping (as tinc's ClampMSS, OpenVPN's --mssfix): a TCP SYN or
// SYN-ACK crossing the tunnel gets its MSS option lowered so that the
// segments of that connection fit one tunnel datagram on the path, and TCP
// never pays for fragmentation. IPv4 and IPv6, up to two VLAN tags, in both
// directions; the TCP checksum is updated in place (RFC 1624).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tvpn {

enum class MssClamp {
    NotSyn,     // not a TCP SYN (or not one we can read): left alone
    Fits,       // a SYN whose MSS (or the absence of one) already fits
    Clamped,    // the MSS option was lowered
};

// `max_frame`: the largest Ethernet frame, its headers included, that fits
// one datagram to the peer. `checksum_partial`: the TCP checksum field holds
// only the pseudo-header sum (offload metadata NEEDS_CSUM), to be completed
// later over the bytes as they are then, so it must not be updated here.
MssClamp clamp_mss(std::span<uint8_t> frame, size_t max_frame, bool checksum_partial);

}  // namespace tvpn
