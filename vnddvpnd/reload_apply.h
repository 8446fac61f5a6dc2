// A reload plan (vnddvpnd/reload_plan.h) carried out on the running
// datapath: removed peers go (their sessions, fragments, timers and MACs
// with them), changed peers are replaced by new ones (a new handshake),
// added peers join; unchanged peers are not touched. Each step that fails
// (a host name that does not resolve, a port that cannot be bound without
// privileges) is logged and leaves that peer as it was: a changed peer keeps
// its old settings and session, an added one is not added.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "common/datapath/datapath.h"
#include "common/log.h"
#include "vnddvpnd/options.h"
#include "vnddvpnd/reload_plan.h"

namespace tvpn {

struct ReloadOutcome {
    size_t removed = 0, added = 0, changed = 0, failed = 0;
};

// " (vnddvpnd runs as uid N since set-up: NEEDS)" when it runs unprivileged
// (after the privilege drop), else "": why a step that worked at start-up fails.
std::string unprivileged_hint(std::string_view needs);

// `tunnels[i]` is the -tunnel group of file.peers[i] (passwords included);
// `running` becomes what now runs: the file's peers that made it, in the
// file's order, the old settings of those that could not change.
// `between_peers` runs after each peer's key derivation (scrypt, ~0.1 s):
// the watchdog's keep-alive.
ReloadOutcome apply_reload(const ReloadPlan& plan, const ConfigSnapshot& file, std::span<const TunnelOptions> tunnels,
                           unsigned rekey_seconds, ConfigSnapshot& running, Datapath& datapath, Logger& log,
                           const std::function<void()>& between_peers = [] {});

}  // namespace tvpn
