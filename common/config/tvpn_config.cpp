#include "common/config/tvpn_config.h"

#include <array>
#include <utility>

#include "common/config/hook_command.h"
#include "common/config/ini_reader.h"
#include "common/endpoint.h"

namespace tvpn::config {

namespace {

using Problem = std::optional<Error>;

// A key of a section: its canonical spelling, whether it may be given more
// than once, and how its value is stored.
template <typename T>
struct KeySpec {
    std::string_view name;
    bool repeatable;
    Problem (*set)(T&, std::string_view);
};

// Stores a parsed value, or passes its parser's error on.
template <typename V, typename R>
Problem store(V& out, R&& parsed) {
    if (!parsed) return parsed.error();
    out = std::move(*parsed);
    return std::nullopt;
}

// Stores `v` as it is when `check` (null or an error) has nothing against it.
Problem store_checked(std::string& out, std::string_view v, Problem check) {
    if (check) return check;
    out = std::string(v);
    return std::nullopt;
}

Problem set_keepalive(std::optional<long>& out, std::string_view v) { return store(out, parse_number(v, kMinKeepalive, kMaxKeepalive)); }

Problem set_path(std::string& out, std::string_view v) { return store_checked(out, v, check_absolute_path(v)); }

Problem add_hook(std::vector<std::string>& out, std::string_view v) {
    if (out.size() >= kMaxHooks) return Error{"more than 64 commands"};
    if (auto bad = check_hook(v)) return bad;
    out.emplace_back(v);
    return std::nullopt;
}

// "Address = A, B" is the same as two Address lines.
Problem add_addresses(InterfaceConfig& c, std::string_view v) {
    while (true) {
        const auto comma = v.find(',');
        auto p = parse_ip_prefix(trim(v.substr(0, comma)));
        if (!p) return p.error();
        for (const auto& have : c.addresses)
            if (have == *p) return Error{p->text + " is given twice"};
        if (c.addresses.size() >= kMaxAddresses) return Error{"more than 64 addresses"};
        c.addresses.push_back(std::move(*p));
        if (comma == std::string_view::npos) return std::nullopt;
        v.remove_prefix(comma + 1);
    }
}

Problem set_backend(InterfaceConfig& c, std::string_view v) {
    if (iequals(v, "auto")) c.backend = BackendChoice::Auto;
    else if (iequals(v, "tap")) c.backend = BackendChoice::Tap;
    else if (iequals(v, "vndd")) c.backend = BackendChoice::Vndd;
    else return Error{quote_value(v) + " is not auto, tap or vndd"};
    return std::nullopt;
}

Problem set_cipher(InterfaceConfig& c, std::string_view v) {
    if (!iequals(v, "des"))
        return Error{quote_value(v) + " is not a cipher (the only one is des, for the original TVPN; "
                                 "leave Cipher out for the -pwd protocol)"};
    c.cipher = "des";
    return std::nullopt;
}

using IC = InterfaceConfig;
using SV = std::string_view;

constexpr KeySpec<InterfaceConfig> kInterfaceKeys[] = {
    {"Name", false, [](IC& c, SV v) { return store_checked(c.name, v, check_config_ifname(v)); }},
    {"Address", true, add_addresses},
    {"MTU", false, [](IC& c, SV v) { return store(c.mtu, parse_number(v, kConfigMinMtu, kConfigMaxMtu)); }},
    {"MAC", false, [](IC& c, SV v) { return store(c.mac, parse_mac(v)); }},
    {"Backend", false, set_backend},
    {"Bridge", false, [](IC& c, SV v) { return store_checked(c.bridge, v, check_config_ifname(v)); }},
    {"ListenAddress", false, [](IC& c, SV v) { return store(c.listen_address, parse_listen_address(v)); }},
    {"ListenPort", false, [](IC& c, SV v) { return store(c.listen_port, parse_port(v)); }},
    {"Keepalive", false, [](IC& c, SV v) { return set_keepalive(c.keepalive, v); }},
    {"PasswordFile", false, [](IC& c, SV v) { return set_path(c.password_file, v); }},
    {"Cipher", false, set_cipher},
    {"WeakPasswordOk", false, [](IC& c, SV v) { return store(c.weak_password_ok, parse_yes_no(v)); }},
    {"User", false, [](IC& c, SV v) { return store_checked(c.user, v, check_user_name(v)); }},
    {"PreUp", true, [](IC& c, SV v) { return add_hook(c.hooks.pre_up, v); }},
    {"PostUp", true, [](IC& c, SV v) { return add_hook(c.hooks.post_up, v); }},
    {"PreDown", true, [](IC& c, SV v) { return add_hook(c.hooks.pre_down, v); }},
    {"PostDown", true, [](IC& c, SV v) { return add_hook(c.hooks.post_down, v); }},
};

constexpr KeySpec<PeerConfig> kPeerKeys[] = {
    {"Name", false, [](PeerConfig& p, SV v) { return store_checked(p.name, v, check_peer_name(v)); }},
    {"Endpoint", false, [](PeerConfig& p, SV v) { return store(p.endpoint, parse_endpoint(v)); }},
    {"PasswordFile", false, [](PeerConfig& p, SV v) { return set_path(p.password_file, v); }},
    {"Keepalive", false, [](PeerConfig& p, SV v) { return set_keepalive(p.keepalive, v); }},
    {"TunnelName", false, [](PeerConfig& p, SV v) { return store_checked(p.tunnel_name, v, check_peer_name(v)); }},
};

// Stores each entry of `s` through its key's setter: unknown keys, a second
// value for a key that takes one, empty and bad values are errors.
template <typename T, size_t N>
Status apply_keys(T& target, const IniSection& s, const KeySpec<T> (&keys)[N], std::string_view source) {
    std::array<size_t, N> first_line{};
    for (const auto& e : s.entries) {
        size_t i = 0;
        while (i < N && !iequals(keys[i].name, e.key)) ++i;
        if (i == N) return config_error(source, e.line, "unknown key " + quote_value(e.key) + " in [" + s.name + "]");
        const std::string name(keys[i].name);
        if (first_line[i] && !keys[i].repeatable)
            return config_error(source, e.line, name + ": given twice (first on line " + std::to_string(first_line[i]) + ")");
        if (!first_line[i]) first_line[i] = e.line;
        if (e.value.empty()) return config_error(source, e.line, name + ": has no value");
        if (auto bad = keys[i].set(target, e.value)) return config_error(source, e.line, name + ": " + bad->message);
    }
    return {};
}

// The line of `key` in `s` (the first one), else of the section's header.
size_t key_line(const IniSection& s, std::string_view key) {
    for (const auto& e : s.entries)
        if (iequals(e.key, key)) return e.line;
    return s.line;
}

bool has_key(const IniSection& s, std::string_view key) { return key_line(s, key) != s.line; }

// "/etc/tvpn/vlan3.conf" -> "vlan3"; empty when the file name has no ".conf".
std::string_view name_from_source(std::string_view source) {
    const auto slash = source.rfind('/');
    std::string_view base = slash == std::string_view::npos ? source : source.substr(slash + 1);
    constexpr std::string_view kSuffix = ".conf";
    if (base.size() <= kSuffix.size() || base.substr(base.size() - kSuffix.size()) != kSuffix) return {};
    return base.substr(0, base.size() - kSuffix.size());
}

// What parse_sections found, with the sections the later checks point into.
struct Parsed {
    TvpnConfig config;
    const IniSection* interface = nullptr;
    std::vector<const IniSection*> peers;
};

Status add_peer(Parsed& out, const IniSection& s, std::string_view source) {
    if (out.peers.size() >= kMaxPeers) return config_error(source, s.line, "[Peer]: more than 1024 peers");
    PeerConfig peer;
    peer.line = s.line;
    if (auto st = apply_keys(peer, s, kPeerKeys, source); !st) return st;
    if (!has_key(s, "Name")) return config_error(source, s.line, "[Peer]: Name is missing");
    if (!has_key(s, "Endpoint")) return config_error(source, s.line, "[Peer]: Endpoint is missing (HOST:PORT, [IPV6]:PORT or any)");
    for (size_t i = 0; i < out.peers.size(); ++i) {
        const auto& other = out.config.peers[i];
        if (other.name == peer.name)
            return config_error(source, key_line(s, "Name"), "Name: peer " + quote_value(peer.name) +
                                                                 " is already defined on line " + std::to_string(other.line));
        if (!peer.endpoint.any && other.endpoint == peer.endpoint)
            return config_error(source, key_line(s, "Endpoint"), "Endpoint: " + peer.endpoint.text() + " is already peer " +
                                                                     quote_value(other.name) + "'s (line " + std::to_string(other.line) + ")");
    }
    out.config.peers.push_back(std::move(peer));
    out.peers.push_back(&s);
    return {};
}

Status parse_sections(const IniDocument& doc, std::string_view source, Parsed& out) {
    for (const auto& s : doc.sections) {
        if (iequals(s.name, "Interface")) {
            if (out.interface)
                return config_error(source, s.line, "[Interface] given twice (first on line " +
                                                        std::to_string(out.interface->line) + ")");
            out.interface = &s;
            out.config.interface.line = s.line;
            if (auto st = apply_keys(out.config.interface, s, kInterfaceKeys, source); !st) return st;
        } else if (iequals(s.name, "Peer")) {
            if (auto st = add_peer(out, s, source); !st) return st;
        } else {
            return config_error(source, s.line, "unknown section [" + s.name + "] (expected [Interface] or [Peer])");
        }
    }
    return {};
}

Status check_interface(Parsed& p, std::string_view source) {
    if (!p.interface) return config_error(source, 1, "no [Interface] section");
    auto& c = p.config.interface;
    const auto& s = *p.interface;
    if (p.config.peers.empty()) return config_error(source, s.line, "no [Peer] section (a tunnel needs a peer)");
    if (c.name.empty()) {
        const auto from_file = name_from_source(source);
        if (from_file.empty() || check_config_ifname(from_file))
            return config_error(source, s.line, "[Interface]: Name is missing, and the file name is not IF.conf for an interface IF");
        c.name = std::string(from_file);
    }
    if (!has_key(s, "ListenPort")) return config_error(source, s.line, "[Interface]: ListenPort is missing");
    if (c.bridge == c.name)
        return config_error(source, key_line(s, "Bridge"), "Bridge: " + quote_value(c.bridge) + " is the interface itself");
    // A bridge port passes what it receives to the bridge: an address on the
    // port itself would never see a packet.
    if (!c.bridge.empty() && !c.addresses.empty())
        return config_error(source, key_line(s, "Address"), "Address: " + c.name + " is a port of Bridge " + c.bridge +
                                                                ", where its own addresses receive nothing: give them to " +
                                                                c.bridge + " instead (e.g. PostUp = ip addr add ADDRESS dev " +
                                                                c.bridge + ")");
    return {};
}

// Keepalives are messages of the -pwd protocol: clear and DES peers have none
// (as vnddvpnd's "-keepalive needs -pwd").
Status check_keepalive(const Parsed& p, size_t i, std::string_view source) {
    const auto& peer = p.config.peers[i];
    if (!peer.keepalive || (!peer.password_file.empty() && p.config.interface.cipher.empty())) return {};
    const IniSection& where = has_key(*p.peers[i], "Keepalive") ? *p.peers[i] : *p.interface;
    return config_error(source, key_line(where, "Keepalive"),
                        "Keepalive: peer " + quote_value(peer.name) + (peer.password_file.empty() ? " has no PasswordFile" : " uses Cipher des") +
                            ", and only the -pwd protocol sends keepalives");
}

// Peers of one interface need tunnel names of their own (as vnddvpnd's -name).
Status resolve_tunnel_name(Parsed& p, size_t i, std::string_view source) {
    auto& peer = p.config.peers[i];
    if (peer.tunnel_name.empty()) peer.tunnel_name = peer.endpoint.any ? peer.name : p.config.interface.name;
    for (size_t k = 0; k < i; ++k) {
        const auto& other = p.config.peers[k];
        if (other.tunnel_name != peer.tunnel_name) continue;
        return config_error(source, key_line(*p.peers[i], "TunnelName"),
                            "TunnelName: peers " + quote_value(other.name) + " (line " + std::to_string(other.line) +
                                ") and " + quote_value(peer.name) + " both have the tunnel name " +
                                quote_value(peer.tunnel_name) + " (a peer with a fixed Endpoint has the interface's by "
                                "default): give one a TunnelName of its own, the same as at its other end");
    }
    return {};
}

// WeakPasswordOk only means something to a peer with the -pwd handshake (as
// vnddvpnd's "-weak-pwd-ok needs -pwd"): a mistake otherwise, said so.
Status check_weak_password_ok(const Parsed& p, std::string_view source) {
    const auto& iface = p.config.interface;
    if (!iface.weak_password_ok) return {};
    const size_t line = key_line(*p.interface, "WeakPasswordOk");
    if (iface.cipher == "des")
        return config_error(source, line, "WeakPasswordOk: does nothing with Cipher des: a DES password is public anyway");
    for (const auto& peer : p.config.peers)
        if (!peer.password_file.empty()) return {};
    return config_error(source, line, "WeakPasswordOk: no peer has a PasswordFile: without a password there is none to judge");
}

// Gives each peer the interface's password file and keepalive unless it has
// its own, then checks what needs a password.
Status resolve_peers(Parsed& p, std::string_view source) {
    const auto& iface = p.config.interface;
    for (size_t i = 0; i < p.config.peers.size(); ++i) {
        auto& peer = p.config.peers[i];
        if (peer.password_file.empty()) peer.password_file = iface.password_file;
        if (!peer.keepalive) peer.keepalive = iface.keepalive;
        const IniSection& own = *p.peers[i];
        const IniSection& where_password = has_key(own, "PasswordFile") ? own : *p.interface;
        if (!peer.password_file.empty()) peer.password_file_line = key_line(where_password, "PasswordFile");
        const size_t endpoint_line = key_line(own, "Endpoint");
        if (peer.endpoint.any && peer.password_file.empty())
            return config_error(source, endpoint_line, "Endpoint: any needs a PasswordFile (in this [Peer] or in [Interface]): "
                                                       "only an authenticated peer may tell where it is");
        if (peer.endpoint.any && iface.cipher == "des")
            return config_error(source, endpoint_line, "Endpoint: any does not work with Cipher des, which cannot "
                                                       "authenticate where a message comes from");
        if (iface.cipher == "des" && peer.password_file.empty())
            return config_error(source, key_line(*p.interface, "Cipher"), "Cipher: des needs a PasswordFile (peer " +
                                                                              quote_value(peer.name) + " has none, nor has [Interface])");
        if (auto st = check_keepalive(p, i, source); !st) return st;
        if (auto st = resolve_tunnel_name(p, i, source); !st) return st;
    }
    return check_weak_password_ok(p, source);
}

}  // namespace

std::string_view backend_name(BackendChoice b) {
    switch (b) {
        case BackendChoice::Tap: return "tap";
        case BackendChoice::Vndd: return "vndd";
        case BackendChoice::Auto: break;
    }
    return "";
}

Result<TvpnConfig> parse_config(std::string_view text, std::string_view source) {
    auto doc = parse_ini(text, source);
    if (!doc) return doc.error();
    Parsed p;
    if (auto st = parse_sections(*doc, source, p); !st) return Error{st.message()};
    if (auto st = check_interface(p, source); !st) return Error{st.message()};
    if (auto st = resolve_peers(p, source); !st) return Error{st.message()};
    return std::move(p.config);
}

}  // namespace tvpn::config
