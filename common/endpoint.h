// A UDP endpoint (IPv4 or IPv6 address and port) and name resolution.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tvpn {

class Endpoint {
public:
    Endpoint() = default;
    Endpoint(const sockaddr* sa, socklen_t len);

    // Resolves a numeric IPv4/IPv6 address or a host name. `family` restricts
    // the result (AF_UNSPEC: the first address found).
    static Result<Endpoint> resolve(std::string_view host, std::string_view port, int family = AF_UNSPEC);
    // A local address to bind: port 0 means any port.
    static Result<Endpoint> resolve_local(std::string_view host, std::string_view port);

    int family() const { return storage_.ss_family; }
    const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&storage_); }
    socklen_t len() const { return len_; }
    uint16_t port() const;
    std::string to_string() const;

    // Address and port equal (IPv6 scope included).
    bool operator==(const Endpoint& other) const { return matches(other.sa(), other.len()); }
    // The same comparison against a raw socket address (no copy: packet path).
    bool matches(const sockaddr* sa, socklen_t len) const;

private:
    sockaddr_storage storage_{};
    socklen_t len_ = 0;
};

// Parses a UDP port 1..65535.
Result<uint16_t> parse_port(std::string_view text);

}  // namespace tvpn
