// Turns parsed options into running tunnels: resolve, attach, bind, lock.
#pragma once

#include <memory>
#include <vector>

#include "common/datapath/datapath.h"
#include "vnddvpnd/daemon.h"
#include "vnddvpnd/options.h"

namespace tvpn {

struct RunningTunnels {
    std::unique_ptr<Datapath> datapath;
    std::vector<Pidfile> pidfiles;
};

// One peer of a -tunnel group (or a [Peer] section): its addresses resolved,
// its codec made from the password; not yet added to any interface.
Result<std::unique_ptr<Peer>> make_peer(const TunnelOptions& t, unsigned rekey_seconds, Logger& log);

// All or nothing: on error everything set up so far is released.
Result<RunningTunnels> setup_tunnels(const DaemonOptions& opts, Logger& log);

}  // namespace tvpn
