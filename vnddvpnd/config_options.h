// vnddvpnd -config FILE: a tvpn.conf(5) file's interface and peers turned into
// the -tunnel groups the command line would give, so that both paths share
// every check and all the set-up after them. Each [Peer] is one group:
//   -tunnel IF LISTEN_ADDRESS LISTEN_PORT HOST PORT   (any 0 for Endpoint = any)
//   -pwd-file PASSWORD_FILE -cipher CIPHER -name TUNNEL_NAME -keepalive SECS
// Backend is -backend and WeakPasswordOk = yes is -weak-pwd-ok.
#pragma once

#include <string_view>

#include "common/config/tvpn_config.h"
#include "common/result.h"
#include "vnddvpnd/options.h"

namespace tvpn {

// Adds the tunnels of `config` (read from `source`) to `opts`, reading each
// peer's password file into its Secret, and its User unless opts has -user.
// Errors name file, line and key.
Status tunnels_from_config(const config::TvpnConfig& config, std::string_view source, DaemonOptions& opts);

// Reads opts.config_file (config_file.h's checks: owner, mode, syntax),
// adds its tunnels and runs check_daemon_options on the result.
Status load_config_tunnels(DaemonOptions& opts);
// The same, and `loaded` is the file as read (what a reload compares with).
Status load_config_tunnels(DaemonOptions& opts, config::TvpnConfig& loaded);

}  // namespace tvpn
