#include "common/pwd/handshake_log.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "common/pwd/secure_wire.h"

namespace tvpn {

std::string address_and_port(const sockaddr_storage& from) {
    char buf[INET6_ADDRSTRLEN] = "";
    uint16_t port = 0;
    if (from.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&from);
        if (!inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf)) return "unknown address";
        port = ntohs(in->sin_port);
    } else if (from.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&from);
        if (!inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf)) return "unknown address";
        port = ntohs(in6->sin6_port);
    } else {
        return "unknown address";
    }
    return std::string(buf) + " port " + std::to_string(port);
}

std::string auth_failed_line(const sockaddr_storage& from, std::string_view label, std::string_view what) {
    std::string line = "tvpn: authentication failed from " + address_and_port(from) + " on ";
    line.append(label);
    line += ": ";
    line.append(what);
    return line;
}

int foreign_version(const uint8_t* msg, size_t size) {
    if (size < wire::kHeaderSize || msg[1] == wire::kVersion || msg[2] != 0 || msg[3] != 0) return -1;
    if (msg[0] < static_cast<uint8_t>(wire::MessageType::HandshakeInit) ||
        msg[0] > static_cast<uint8_t>(wire::MessageType::CookieReply))
        return -1;
    return msg[1];
}

}  // namespace tvpn
