// Where a daemon's per-interface runtime files live (/run/vnddvpnd): its
// pidfile and its control socket, and vnddconfig up's record. Shared by
// vnddvpnd, which creates the first two, and vnddconfig, which finds a daemon
// through them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace tvpn {

constexpr const char* kRunDir = "/run/vnddvpnd";

// /run/vnddvpnd/IF.pid, or IF@netINODE.pid outside the initial network
// namespace, so that namespaced hosts on one machine do not clash.
std::string default_pidfile(const std::string& ifname);
// What `vnddconfig up IF` has done so far, for `vnddconfig down IF`: the same
// name as the default pidfile, ending in .up.
std::string up_record_path(const std::string& ifname);
// Creates kRunDir (mode 0755) unless it exists.
Status make_run_dir();
// The control socket that goes with a pidfile: the same path ending in .ctl.
std::string control_socket_path(const std::string& pidfile);
// The interfaces of this network namespace that kRunDir has a control
// socket or an up record for (a daemon runs, ran, or should run), sorted.
std::vector<std::string> runtime_interfaces();
// A -pidfile PATH (vnddvpnd, and vnddconfig status to find that daemon) must be absolute.
std::optional<Error> check_pidfile_path(const std::string& path);

}  // namespace tvpn
