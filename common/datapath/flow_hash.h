// Which flow an Ethernet frame belongs to, as a keyed hash: the fair queue
// (fair_queue.h) gives each flow its own queue, so that a ping or a DNS
// query does not wait behind a bulk TCP stream's backlog.
#pragma once

#include <cstdint>
#include <span>

namespace tvpn {

// IPv4 and IPv6 (behind up to two VLAN tags): addresses, protocol and, for
// TCP, UDP, SCTP and UDP-Lite, the ports (none for an IPv4 fragment, so all
// of a datagram's fragments stay in one flow). Anything else: the MAC
// addresses, the VLAN tags and the EtherType. `seed` keys the hash.
uint64_t flow_hash(std::span<const uint8_t> frame, uint64_t seed);

}  // namespace tvpn
