#include "vnddvpnd/config_options.h"

#include "common/config/config_file.h"
#include "common/config/ini_reader.h"
#include "common/config/password_file.h"

namespace tvpn {
namespace {

// Without ListenAddress: every local address of the peer's family. The UDP
// socket of "::" is IPv6-only, so an IPv4 peer (or a host name, resolved as
// IPv4 then, and a peer at any address) gets 0.0.0.0.
std::string listen_host(const config::InterfaceConfig& iface, const config::PeerEndpoint& endpoint) {
    if (!iface.listen_address.empty()) return iface.listen_address;
    return endpoint.host.find(':') != std::string::npos ? "::" : "0.0.0.0";
}

Result<TunnelOptions> tunnel_for(const config::InterfaceConfig& iface, const config::PeerConfig& peer,
                                 std::string_view source, const config::FileReader& reader) {
    TunnelOptions t;
    t.ifname = iface.name;
    t.local_host = listen_host(iface, peer.endpoint);
    t.local_port = std::to_string(iface.listen_port);
    t.remote_host = peer.endpoint.any ? "any" : peer.endpoint.host;
    t.remote_port = peer.endpoint.any ? "0" : std::to_string(peer.endpoint.port);
    t.cipher = iface.cipher;
    t.name = peer.tunnel_name;
    t.keepalive = static_cast<unsigned>(peer.keepalive.value_or(0));
    if (peer.password_file.empty()) return t;
    auto password = config::load_password_file(peer.password_file, reader);
    if (!password) return config::config_error(source, peer.password_file_line, "PasswordFile: " + password.error().message);
    t.password = std::move(*password);
    t.has_password = true;
    t.password_source = "PasswordFile " + peer.password_file;
    return t;
}

}  // namespace

Status tunnels_from_config(const config::TvpnConfig& config, std::string_view source, DaemonOptions& opts) {
    const bool user_from_file = opts.user.empty() && !config.interface.user.empty();
    if (user_from_file) opts.user = config.interface.user;  // -user wins over User=
    auto reader = password_reader(opts);
    if (!reader)
        return user_from_file ? config::config_error(source, config.interface.line, "User: " + reader.error().message)
                              : Status(reader.error());
    for (const auto& peer : config.peers) {
        auto t = tunnel_for(config.interface, peer, source, *reader);
        if (!t) return t.error();
        opts.tunnels.push_back(std::move(*t));
    }
    opts.backend = std::string(config::backend_name(config.interface.backend));
    if (config.interface.weak_password_ok) opts.weak_pwd_ok = true;
    return {};
}

Status load_config_tunnels(DaemonOptions& opts, config::TvpnConfig& loaded) {
    auto config = config::load_config(opts.config_file);
    if (!config) return config.error();
    if (auto st = tunnels_from_config(*config, opts.config_file, opts); !st) return st;
    if (auto st = check_daemon_options(opts); !st) return st;
    loaded = std::move(*config);
    return {};
}

Status load_config_tunnels(DaemonOptions& opts) {
    config::TvpnConfig loaded;
    return load_config_tunnels(opts, loaded);
}

}  // namespace tvpn
