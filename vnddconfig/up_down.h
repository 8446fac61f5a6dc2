// `vnddconfig up IF` and `vnddconfig down IF`: an interface, its addresses,
// its bridge, its daemon and its hook commands set up from a configuration
// file (tvpn.conf(5)), and taken down again. Up checks all it can before it
// changes anything, records each step before taking it (up_record.h) and,
// when a step fails, undoes the steps taken as down would; down undoes what
// the record says, whether up finished, failed or was interrupted.
//
// up:   PreUp, create IF (MTU, MAC, Backend), Address..., Bridge (created if
//       missing, up) and IF in it, IF up, vnddvpnd -config FILE -daemonize
//       (waited for until its tunnels are up), PostUp.
// down: PreDown (if PostUp had started), stop the daemon, delete the bridge
//       (only one up created), delete IF, PostDown (if PreUp had started).
//
// With -no-daemon (UpDaemon::External) up takes every step but the daemon's,
// for a service manager that runs `vnddvpnd -config FILE` itself between up
// and down (vnddvpnd@.service: ExecStartPre and ExecStopPost), so PostUp runs
// before the daemon starts and PreDown after it stopped. The record says so:
// each down undoes only the record of its own kind of up, so that a service
// that failed to start never takes down an interface `vnddconfig up` set up.
#pragma once

#include <string>
#include <vector>

namespace tvpn {

inline constexpr const char* kConfigDir = "/etc/tvpn";

// /etc/tvpn/IF.conf
std::string default_config_path(const std::string& ifname);

struct UpDownOutcome {
    std::string error;                  // why up or down failed; empty: it did not
    std::vector<std::string> problems;  // what undoing could not do, one line each
    bool undid = false;                 // up failed after it had changed something, and undid it
    bool ok() const { return error.empty() && problems.empty(); }
};

// Who runs IF's daemon: up and down (Ours), or a service manager (External, -no-daemon).
enum class UpDaemon { Ours, External };

// `config_file` empty: default_config_path(ifname).
UpDownOutcome interface_up(const std::string& ifname, const std::string& config_file, UpDaemon daemon = UpDaemon::Ours);
// `config_file` empty: the file up read (its PreDown and PostDown run).
// External: no record is nothing to undo, not an error.
UpDownOutcome interface_down(const std::string& ifname, const std::string& config_file, UpDaemon daemon = UpDaemon::Ours);

}  // namespace tvpn
