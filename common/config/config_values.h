// The value types of a configuration file (tvpn.conf(5)) and their parsers:
// numbers in a range, IPv4/IPv6 prefixes, listen addresses, peer endpoints,
// names and paths. Each returns the value or an error that says what is
// wrong with it, without file, line or key (tvpn_config adds those).
// Nothing here resolves names or touches a file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tvpn::config {

inline constexpr size_t kMaxPeerNameLength = 32;
inline constexpr size_t kMaxHostNameLength = 253;  // RFC 1035
inline constexpr size_t kMaxPathLength = 4095;     // PATH_MAX - 1

// A decimal integer in [min, max].
Result<long> parse_number(std::string_view text, long min, long max);

// "yes" or "no", in any case.
Result<bool> parse_yes_no(std::string_view text);

// An interface address with its prefix length, "192.168.3.1/24" or "fd00::1/64".
struct IpPrefix {
    int family = 0;                  // AF_INET or AF_INET6
    std::array<uint8_t, 16> bytes{};  // the first 4 for IPv4
    unsigned length = 0;
    std::string text;  // normalized (inet_ntop) "ADDRESS/LENGTH"
    bool operator==(const IpPrefix& o) const { return family == o.family && bytes == o.bytes && length == o.length; }
};
// Refuses a missing or bad prefix length, the unspecified address, multicast
// and the IPv4 broadcast address.
Result<IpPrefix> parse_ip_prefix(std::string_view text);

// A numeric IPv4 or IPv6 address to listen on, returned normalized.
Result<std::string> parse_listen_address(std::string_view text);

// Where a peer is: "HOST:PORT" (IPv4 address or host name), "[IPV6]:PORT",
// or "any" (its address is learned from its authenticated messages).
struct PeerEndpoint {
    bool any = false;
    std::string host;  // IPv6 without brackets; empty when any
    uint16_t port = 0;
    std::string text() const;  // "any", "HOST:PORT" or "[IPV6]:PORT"
    bool operator==(const PeerEndpoint& o) const { return any == o.any && host == o.host && port == o.port; }
};
Result<PeerEndpoint> parse_endpoint(std::string_view text);

// An interface name that Linux accepts (netif_spec's check_ifname) and that
// a shell takes literally, since hooks get it through %i: letters, digits,
// '_', '.' and '-'.
std::optional<Error> check_config_ifname(std::string_view name);

// A peer's name (logs, status): 1..32 letters, digits, '_', '.', '-'.
std::optional<Error> check_peer_name(std::string_view name);

// An absolute path (the daemon's working directory is not the file's).
std::optional<Error> check_absolute_path(std::string_view path);
// User = NAME: a system user's name as useradd(8) takes it: 1 to 32 letters,
// digits, '_', '.' or '-', not starting with '-' (the user need not exist yet).
std::optional<Error> check_user_name(std::string_view name);

}  // namespace tvpn::config
