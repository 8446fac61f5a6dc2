#include "common/datapath/endpoint_key.h"

#include <netinet/in.h>

#include <cstring>

namespace tvpn {

EndpointKey EndpointKey::of(const sockaddr* sa, socklen_t len) {
    EndpointKey k;
    if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        k.bytes[0] = AF_INET;
        std::memcpy(&k.bytes[2], &in->sin_port, 2);
        std::memcpy(&k.bytes[4], &in->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        k.bytes[0] = AF_INET6;
        std::memcpy(&k.bytes[2], &in6->sin6_port, 2);
        std::memcpy(&k.bytes[4], &in6->sin6_addr, 16);
        std::memcpy(&k.bytes[20], &in6->sin6_scope_id, 4);
    }
    return k;
}

}  // namespace tvpn
