#include "vnddvpnd/tunnel_setup.h"

#include <arpa/inet.h>

#include <map>

#include "common/device/backend_select.h"
#include "common/datapath/kernel_mtu.h"
#include "common/control/runtime_paths.h"
#include "vnddvpnd/codec_setup.h"

namespace tvpn {
namespace {

bool is_numeric_address(const std::string& host) {
    in6_addr a6;
    in_addr a4;
    return ::inet_pton(AF_INET, host.c_str(), &a4) == 1 || ::inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

Result<PeerConfig> resolve_peer(const TunnelOptions& t) {
    auto local = Endpoint::resolve_local(t.local_host, t.local_port);
    if (!local) return Error{"tunnel " + t.ifname + ": local address: " + local.error().message};
    PeerConfig config{t.ifname, t.name.empty() ? t.ifname : t.name, *local, std::nullopt};
    if (t.remote_any()) return config;
    auto remote = Endpoint::resolve(t.remote_host, t.remote_port, local->family());
    if (!remote) return Error{"tunnel " + t.ifname + ": remote address (same family as the local one): " +
                              remote.error().message};
    config.remote = *remote;
    if (!is_numeric_address(t.remote_host)) {  // looked up again later (vnddvpnd/peer_resolver.h)
        config.remote_host = t.remote_host;
        config.remote_port = t.remote_port;
    }
    return config;
}

// The interface a group names, attached and locked on first use.
Result<size_t> interface_for(const DaemonOptions& opts, const std::string& ifname, RunningTunnels& running,
                             std::map<std::string, size_t>& attached) {
    if (auto it = attached.find(ifname); it != attached.end()) return it->second;
    auto pidfile = Pidfile::acquire(opts.pidfile.empty() ? default_pidfile(ifname) : opts.pidfile, ifname);
    if (!pidfile) return pidfile.error();
    running.pidfiles.push_back(std::move(*pidfile));
    auto backend = backend_for_interface(opts.backend, ifname);
    if (!backend) return backend.error();
    auto device = (*backend)->attach(ifname);
    if (!device) return Error{"tunnel " + ifname + ": " + device.error().message};
    const size_t index = running.datapath->add_interface(std::move(*device));
    // Frames up to the interface's MTU must cross whole (the default when it cannot be read).
    if (auto mtu = interface_mtu(ifname)) running.datapath->set_mtu(index, *mtu);
    attached.emplace(ifname, index);
    return index;
}

}  // namespace

Result<std::unique_ptr<Peer>> make_peer(const TunnelOptions& t, unsigned rekey_seconds, Logger& log) {
    auto config = resolve_peer(t);
    if (!config) return config.error();
    auto codec = make_codec(t, *config, rekey_seconds, log);
    if (!codec) return codec.error();
    if (!t.has_password)
        log.warning("tunnel " + t.ifname + " (" + config->local.to_string() + " -> " +
                    (config->remote ? config->remote->to_string() : std::string("any")) +
                    ") is neither encrypted nor authenticated");
    return std::make_unique<Peer>(std::move(*config), std::move(*codec));
}

Result<RunningTunnels> setup_tunnels(const DaemonOptions& opts, Logger& log) {
    RunningTunnels running{std::make_unique<Datapath>(log), {}};
    std::map<std::string, size_t> attached;
    for (const auto& t : opts.tunnels) {
        auto peer = make_peer(t, opts.rekey_seconds, log);
        if (!peer) return peer.error();
        auto iface = interface_for(opts, t.ifname, running, attached);
        if (!iface) return iface.error();
        if (auto st = running.datapath->add_peer(*iface, std::move(*peer)); !st)
            return Error{"tunnel " + t.ifname + ": " + st.message()};
    }
    return running;
}

}  // namespace tvpn
