// Interface names, MAC addresses and MTUs: parsing and validation of what a
// user types, shared by vnddconfig, vnddvpnd and both device backends.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tvpn {

using MacAddr = std::array<uint8_t, 6>;

constexpr int kMinMtu = 68;       // IPv4's minimum datagram size (RFC 791)
constexpr int kMaxMtu = 65000;    // an encrypted frame must still fit one UDP datagram
constexpr int kDefaultMtu = 1500;  // Ethernet's (and the original TVPN's): bridges with LAN ports need no change
constexpr size_t kMaxIfNameLen = 15;  // IFNAMSIZ - 1

// What an interface is created with.
struct InterfaceSpec {
    std::string name;
    int mtu = kDefaultMtu;
    std::optional<MacAddr> mac;  // kernel picks a random one when empty
    bool noarp = false;
};

// Null when `name` is a usable Linux interface name, else the reason it is not.
std::optional<Error> check_ifname(std::string_view name);
std::optional<Error> check_mtu(long mtu);

// Parses "02:00:5e:10:00:01"; rejects malformed, multicast and all-zero addresses.
Result<MacAddr> parse_mac(std::string_view text);
std::string format_mac(const MacAddr& mac);

// Parses a decimal integer in [min, max] with nothing after it.
std::optional<long> parse_long(std::string_view text, long min, long max);

}  // namespace tvpn
