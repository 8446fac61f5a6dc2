#include "vnddvpnd/tunnel_setup.h"

#include "common/backend_select.h"
#include "vnddvpnd/codec_setup.h"
#include "common/runtime_paths.h"

namespace tvpn {
namespace {

Result<TunnelConfig> resolve_tunnel(const TunnelOptions& t) {
    auto local = Endpoint::resolve(t.local_host, t.local_port);
    if (!local) return Error{"tunnel " + t.ifname + ": local address: " + local.error().message};
    auto remote = Endpoint::resolve(t.remote_host, t.remote_port, local->family());
    if (!remote) return Error{"tunnel " + t.ifname + ": remote address (same family as the local one): " +
                              remote.error().message};
    return TunnelConfig{t.ifname, *local, *remote};
}

}  // namespace

Result<RunningTunnels> setup_tunnels(const DaemonOptions& opts, Logger& log) {
    RunningTunnels running{std::make_unique<Datapath>(log), {}};
    for (const auto& t : opts.tunnels) {
        auto config = resolve_tunnel(t);
        if (!config) return config.error();
        auto codec = make_codec(t, *config, opts.rekey_seconds, log);
        if (!codec) return codec.error();
        auto pidfile = Pidfile::acquire(opts.pidfile.empty() ? default_pidfile(t.ifname) : opts.pidfile, t.ifname);
        if (!pidfile) return pidfile.error();
        running.pidfiles.push_back(std::move(*pidfile));
        auto backend = backend_for_interface(opts.backend, t.ifname);
        if (!backend) return backend.error();
        auto device = (*backend)->attach(t.ifname);
        if (!device) return Error{"tunnel " + t.ifname + ": " + device.error().message};
        auto tunnel = std::make_unique<Tunnel>(*config, std::move(*codec));
        if (auto st = running.datapath->add_tunnel(std::move(tunnel), std::move(*device)); !st)
            return Error{"tunnel " + t.ifname + ": " + st.message()};
        if (!t.has_password)
            log.warning("tunnel " + t.ifname + " (" + config->local.to_string() + " -> " + config->remote.to_string() +
                        ", " + (*backend)->kind() + ") is neither encrypted nor authenticated");
    }
    return running;
}

}  // namespace tvpn
