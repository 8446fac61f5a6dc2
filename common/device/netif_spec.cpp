#include "common/device/netif_spec.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace tvpn {

std::optional<Error> check_ifname(std::string_view name) {
    if (name.empty()) return Error{"interface name is empty"};
    if (name.size() > kMaxIfNameLen)
        return Error{"interface name '" + std::string(name) + "' is longer than 15 bytes"};
    if (name == "." || name == "..") return Error{"interface name '" + std::string(name) + "' is reserved"};
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (c == '/' || c == ':' || u <= 0x20 || u == 0x7f)
            return Error{"interface name '" + std::string(name) + "' contains '/', ':', a space or a control character"};
    }
    return std::nullopt;
}

std::optional<Error> check_mtu(long mtu) {
    if (mtu < kMinMtu || mtu > kMaxMtu)
        return Error{"MTU " + std::to_string(mtu) + " is out of range " + std::to_string(kMinMtu) + ".." +
                     std::to_string(kMaxMtu)};
    return std::nullopt;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Result<MacAddr> parse_mac(std::string_view text) {
    const Error malformed{"MAC address '" + std::string(text) + "' is malformed (expected XX:XX:XX:XX:XX:XX)"};
    if (text.size() != 17) return malformed;
    MacAddr mac{};
    for (size_t i = 0; i < 6; ++i) {
        int hi = hex_value(text[i * 3]);
        int lo = hex_value(text[i * 3 + 1]);
        if (hi < 0 || lo < 0) return malformed;
        if (i < 5 && text[i * 3 + 2] != ':') return malformed;
        mac[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    if (mac[0] & 0x01) return Error{"MAC address '" + std::string(text) + "' is multicast"};
    if (mac == MacAddr{}) return Error{"MAC address '" + std::string(text) + "' is all zeros"};
    return mac;
}

std::string format_mac(const MacAddr& mac) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

std::optional<long> parse_long(std::string_view text, long min, long max) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::string s(text);
    for (char c : s)
        if (!(c >= '0' && c <= '9') && c != '-') return std::nullopt;
    errno = 0;
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (errno != 0 || end != s.c_str() + s.size()) return std::nullopt;
    if (v < min || v > max) return std::nullopt;
    return v;
}

}  // namespace tvpn
