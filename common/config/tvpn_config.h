// A TVPN configuration file (/etc/tvpn/IF.conf, tvpn.conf(5)) as typed
// values: one [Interface] and one or more [Peer] sections. parse_config
// checks everything a file can get wrong and returns either the whole
// configuration or one error naming file, line and key; it never throws on
// bad input and reads no file (password files are only named here).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/config_values.h"
#include "common/device/netif_spec.h"
#include "common/result.h"

namespace tvpn::config {

inline constexpr long kConfigMinMtu = kMinMtu;
inline constexpr long kConfigMaxMtu = 9000;       // jumbo frames; larger ones no underlay carries whole
inline constexpr long kConfigDefaultMtu = 1500;   // Ethernet's, so bridged LANs need no change
inline constexpr long kMinKeepalive = 1;          // as vnddvpnd -keepalive: the -pwd protocol always sends them
inline constexpr long kMaxKeepalive = 3600;       // NAT mappings expire in minutes: more is useless
inline constexpr size_t kMaxPeers = 1024;
inline constexpr size_t kMaxAddresses = 64;
inline constexpr size_t kMaxHooks = 64;            // per kind (PreUp, PostUp, ...)

enum class BackendChoice { Auto, Tap, Vndd };
// "" (auto), "tap" or "vndd": what open_backend() takes.
std::string_view backend_name(BackendChoice b);

struct Hooks {
    std::vector<std::string> pre_up, post_up, pre_down, post_down;  // %i not yet expanded
};

struct InterfaceConfig {
    std::string name;  // Name, else the file name without ".conf"
    std::vector<IpPrefix> addresses;
    long mtu = kConfigDefaultMtu;
    std::optional<MacAddr> mac;  // none: the kernel picks one
    BackendChoice backend = BackendChoice::Auto;
    std::string bridge;          // empty: none
    std::string listen_address;  // empty: every local address
    uint16_t listen_port = 0;    // required
    std::optional<long> keepalive;  // none: the daemon's default
    std::string password_file;      // empty: none (clear text, unless every peer has one)
    std::string cipher;             // "" (-pwd protocol) or "des" (the original TVPN's)
    bool weak_password_ok = false;  // WeakPasswordOk: vnddvpnd's -weak-pwd-ok
    std::string user;               // User: vnddvpnd's after set-up; empty: its default (vnddvpnd -user)
    Hooks hooks;
    size_t line = 0;
};

struct PeerConfig {
    std::string name;
    // The tunnel's name, bound into the -pwd handshake and so the same at both
    // ends (vnddvpnd's -name): TunnelName, else Name for Endpoint any (a hub
    // tells those apart by it), else the interface's name (-name's default).
    std::string tunnel_name;
    PeerEndpoint endpoint;
    std::string password_file;      // its own, else the interface's; empty: clear text
    std::optional<long> keepalive;  // its own, else the interface's
    size_t line = 0;                // of its [Peer] header
    size_t password_file_line = 0;  // of the PasswordFile it uses (its own or [Interface]'s); 0: none
};

struct TvpnConfig {
    InterfaceConfig interface;
    std::vector<PeerConfig> peers;
};

// `source` is the file's path: it names the file in errors, and its name
// without ".conf" is the interface's when [Interface] has no Name.
Result<TvpnConfig> parse_config(std::string_view text, std::string_view source);

}  // namespace tvpn::config
