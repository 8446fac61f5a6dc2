// A socket address as a fixed-size key (family, port, address, IPv6 scope),
// so the packet path can find the peer behind a source address in O(1).
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tvpn {

struct EndpointKey {
    std::array<uint8_t, 24> bytes{};
    bool operator==(const EndpointKey&) const = default;
    static EndpointKey of(const sockaddr* sa, socklen_t len);
};

struct EndpointKeyHash {
    size_t operator()(const EndpointKey& k) const {
        return std::hash<std::string_view>()({reinterpret_cast<const char*>(k.bytes.data()), k.bytes.size()});
    }
};

}  // namespace tvpn
