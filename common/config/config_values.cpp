#include "common/config/config_values.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include "common/config/ini_reader.h"
#include "common/endpoint.h"
#include "common/device/netif_spec.h"

namespace tvpn::config {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || c == '.' || c == '-';
}

bool only(std::string_view s, bool (*pred)(char)) {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

// inet_pton on a string_view (it wants a NUL-terminated string).
bool to_address(int family, std::string_view text, void* out) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
    const std::string s(text);
    return ::inet_pton(family, s.c_str(), out) == 1;
}

std::string address_text(int family, const void* bytes) {
    char buf[INET6_ADDRSTRLEN] = "";
    ::inet_ntop(family, bytes, buf, sizeof buf);
    return buf;
}

// Null when `address` may be configured on an interface, else why not.
std::optional<Error> check_unicast(int family, const std::array<uint8_t, 16>& b, std::string_view text) {
    const bool zero = family == AF_INET ? std::memcmp(b.data(), "\0\0\0\0", 4) == 0 : b == std::array<uint8_t, 16>{};
    if (zero) return Error{quote_value(text) + " is the unspecified address"};
    const bool multicast = family == AF_INET ? (b[0] & 0xf0) == 0xe0 : b[0] == 0xff;
    if (multicast) return Error{quote_value(text) + " is a multicast address"};
    if (family == AF_INET && std::memcmp(b.data(), "\xff\xff\xff\xff", 4) == 0)
        return Error{quote_value(text) + " is the broadcast address"};
    return std::nullopt;
}

bool valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    return only(label, [](char c) { return is_name_char(c) && c != '.' && c != '_'; });
}

// A host name (RFC 1123) or a dotted IPv4 address.
std::optional<Error> check_host(std::string_view host) {
    if (host.empty()) return Error{"the host is empty"};
    if (only(host, [](char c) { return is_digit(c) || c == '.'; })) {
        in_addr a{};
        if (!to_address(AF_INET, host, &a)) return Error{quote_value(host) + " is not an IPv4 address"};
        return std::nullopt;
    }
    if (host.size() > kMaxHostNameLength) return Error{"host name is longer than 253 bytes"};
    for (std::string_view rest = host; !rest.empty();) {
        const auto dot = rest.find('.');
        if (!valid_label(rest.substr(0, dot))) return Error{quote_value(host) + " is not a host name or an IPv4 address"};
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
        if (rest.empty()) break;  // a trailing dot: fully qualified
    }
    return std::nullopt;
}

}  // namespace

Result<long> parse_number(std::string_view text, long min, long max) {
    const std::string_view digits = !text.empty() && text[0] == '-' ? text.substr(1) : text;
    if (digits.empty() || !only(digits, is_digit)) return Error{quote_value(text) + " is not a number"};
    auto v = parse_long(text, min, max);
    if (!v)
        return Error{std::string(text.size() > 20 ? quote_value(text) : std::string(text)) + " is not between " +
                     std::to_string(min) + " and " + std::to_string(max)};
    return *v;
}

Result<bool> parse_yes_no(std::string_view text) {
    if (iequals(text, "yes")) return true;
    if (iequals(text, "no")) return false;
    return Error{quote_value(text) + " is not yes or no"};
}

Result<IpPrefix> parse_ip_prefix(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return Error{quote_value(text) + " has no prefix length (expected ADDRESS/LENGTH, e.g. 192.168.3.1/24)"};
    IpPrefix p;
    const auto addr = text.substr(0, slash);
    if (to_address(AF_INET, addr, p.bytes.data())) p.family = AF_INET;
    else if (to_address(AF_INET6, addr, p.bytes.data())) p.family = AF_INET6;
    else return Error{quote_value(addr) + " is not an IPv4 or IPv6 address"};
    const long max_len = p.family == AF_INET ? 32 : 128;
    auto len = parse_number(text.substr(slash + 1), 0, max_len);
    if (!len) return Error{"prefix length " + len.error().message};
    if (auto bad = check_unicast(p.family, p.bytes, addr)) return *bad;
    p.length = static_cast<unsigned>(*len);
    p.text = address_text(p.family, p.bytes.data()) + "/" + std::to_string(p.length);
    return p;
}

Result<std::string> parse_listen_address(std::string_view text) {
    std::array<uint8_t, 16> b{};
    if (to_address(AF_INET, text, b.data())) return address_text(AF_INET, b.data());
    if (to_address(AF_INET6, text, b.data())) return address_text(AF_INET6, b.data());
    return Error{quote_value(text) + " is not a numeric IPv4 or IPv6 address"};
}

std::string PeerEndpoint::text() const {
    if (any) return "any";
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<PeerEndpoint> parse_endpoint(std::string_view text) {
    PeerEndpoint ep;
    if (iequals(text, "any")) {
        ep.any = true;
        return ep;
    }
    const Error no_port{quote_value(text) + " has no port (expected HOST:PORT, [IPV6]:PORT or any)"};
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return Error{quote_value(text) + " has no ']' after the IPv6 address"};
        if (close + 1 >= text.size() || text[close + 1] != ':') return no_port;
        const auto host = text.substr(1, close - 1);
        in6_addr a{};
        if (!to_address(AF_INET6, host, &a)) return Error{quote_value(host) + " is not an IPv6 address"};
        ep.host = address_text(AF_INET6, &a);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return no_port;
        const auto host = text.substr(0, colon);
        if (host.find(':') != std::string_view::npos)
            return Error{quote_value(text) + ": an IPv6 address goes in brackets ([IPV6]:PORT)"};
        if (auto bad = check_host(host)) return *bad;
        ep.host = std::string(host);
        port_text = text.substr(colon + 1);
    }
    auto port = parse_port(port_text);
    if (!port) return port.error();
    ep.port = *port;
    return ep;
}

std::optional<Error> check_config_ifname(std::string_view name) {
    if (auto bad = check_ifname(name)) return bad;
    if (!only(name, is_name_char))
        return Error{"interface name " + quote_value(name) + " may only have letters, digits, '_', '.' and '-'"};
    return std::nullopt;
}

std::optional<Error> check_peer_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxPeerNameLength || !only(name, is_name_char))
        return Error{quote_value(name) + " is not 1 to 32 letters, digits, '_', '.' or '-'"};
    return std::nullopt;
}

std::optional<Error> check_user_name(std::string_view name) {
    if (name.empty() || name.size() > 32 || name.front() == '-' || !only(name, is_name_char))
        return Error{quote_value(name) + " is not a user name (1 to 32 letters, digits, '_', '.' or '-')"};
    return std::nullopt;
}

std::optional<Error> check_absolute_path(std::string_view path) {
    if (path.empty() || path.front() != '/') return Error{quote_value(path) + " is not an absolute path"};
    if (path.size() > kMaxPathLength) return Error{"path is longer than 4095 bytes"};
    return std::nullopt;
}

}  // namespace tvpn::config
