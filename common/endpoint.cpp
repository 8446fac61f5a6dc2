#include "common/endpoint.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <cstring>

#include "common/device/netif_spec.h"

namespace tvpn {

Endpoint::Endpoint(const sockaddr* sa, socklen_t len) {
    if (len > sizeof storage_) len = sizeof storage_;
    std::memcpy(&storage_, sa, len);
    len_ = len;
}

Result<Endpoint> Endpoint::resolve_local(std::string_view host, std::string_view port) {
    if (port != "0") return resolve(host, port);
    auto ep = resolve(host, "1");
    if (!ep) return ep;
    sockaddr_storage ss{};
    std::memcpy(&ss, ep->sa(), ep->len());
    if (ss.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&ss)->sin_port = 0;
    else reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port = 0;
    return Endpoint(reinterpret_cast<const sockaddr*>(&ss), ep->len());
}

Result<Endpoint> Endpoint::resolve(std::string_view host, std::string_view port, int family) {
    auto p = parse_port(port);
    if (!p) return p.error();
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* res = nullptr;
    std::string h(host), s(port);
    int rc = ::getaddrinfo(h.c_str(), s.c_str(), &hints, &res);
    if (rc != 0 || !res) return Error{"cannot resolve '" + h + "': " + ::gai_strerror(rc)};
    Endpoint ep(res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    return ep;
}

uint16_t Endpoint::port() const {
    if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
    if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
    return 0;
}

std::string Endpoint::to_string() const {
    char buf[INET6_ADDRSTRLEN] = "?";
    if (family() == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buf, sizeof buf);
        return std::string(buf) + ":" + std::to_string(port());
    }
    if (family() == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buf, sizeof buf);
        return "[" + std::string(buf) + "]:" + std::to_string(port());
    }
    return "(none)";
}

bool Endpoint::matches(const sockaddr* sa, socklen_t len) const {
    if (sa->sa_family != family()) return false;
    if (family() == AF_INET && len >= sizeof(sockaddr_in)) {
        auto a = reinterpret_cast<const sockaddr_in*>(&storage_);
        auto b = reinterpret_cast<const sockaddr_in*>(sa);
        return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
    }
    if (family() == AF_INET6 && len >= sizeof(sockaddr_in6)) {
        auto a = reinterpret_cast<const sockaddr_in6*>(&storage_);
        auto b = reinterpret_cast<const sockaddr_in6*>(sa);
        return a->sin6_port == b->sin6_port && a->sin6_scope_id == b->sin6_scope_id &&
               std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
    }
    return false;
}

Result<uint16_t> parse_port(std::string_view text) {
    auto v = parse_long(text, 1, 65535);
    if (!v) return Error{"bad port '" + std::string(text) + "' (expected 1..65535)"};
    return static_cast<uint16_t>(*v);
}

}  // namespace tvpn
