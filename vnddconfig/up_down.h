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

// `config_file` empty: default_config_path(ifname).
UpDownOutcome interface_up(const std::string& ifname, const std::string& config_file);
// `config_file` empty: the file up read (its PreDown and PostDown run).
UpDownOutcome interface_down(const std::string& ifname, const std::string& config_file);

}  // namespace tvpn
