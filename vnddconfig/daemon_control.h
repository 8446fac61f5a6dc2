// Starting and stopping the vnddvpnd of `vnddconfig up` and `down`: the
// vnddvpnd installed beside vnddconfig, run as `vnddvpnd -config FILE
// -daemonize`, found again through its pidfile (which it keeps locked while
// it runs, so a stale pidfile never gets a recycled PID signalled).
#pragma once

#include <string>

#include "common/result.h"

namespace tvpn {

// The vnddvpnd in this program's directory (both are installed together).
Result<std::string> vnddvpnd_beside_us();

// Runs `DAEMON -config CONFIG -daemonize` and waits (bounded) until it has
// its tunnels up, or fails with the daemon's own error. Its warnings go to
// our stderr.
Status start_daemon(const std::string& daemon, const std::string& config_path);

// Stops the daemon holding `pidfile`: SIGTERM, SIGKILL if it does not end in
// time, then removes what a killed daemon leaves (pidfile, control socket).
// Success when no daemon holds it (none runs, or it is gone already).
Status stop_daemon(const std::string& pidfile);

// Removes the pidfile and control socket that a daemon killed by someone
// else left (down -no-daemon after a service's daemon died); a daemon that
// still holds `pidfile` keeps them.
void remove_stale_daemon_files(const std::string& pidfile);

}  // namespace tvpn
