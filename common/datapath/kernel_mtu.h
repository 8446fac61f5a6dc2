// MTUs as the kernel knows them. route_mtu: of the route to a remote address, as the kernel
// knows it (the outgoing link's MTU, or a smaller one it learnt from ICMP):
// the best estimate of the path for a codec that does not probe it (clear
// text, -cipher des). Opens a UDP socket and connects it; sends nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/endpoint.h"

namespace tvpn {

std::optional<uint32_t> route_mtu(const Endpoint& remote);
// interface_mtu: of a network interface (SIOCGIFMTU).
std::optional<uint32_t> interface_mtu(const std::string& name);

// The IP and UDP headers in front of every datagram: 28 bytes on IPv4, 48 on IPv6.
constexpr size_t ip_udp_overhead(int family) { return family == AF_INET6 ? 48 : 28; }

}  // namespace tvpn
