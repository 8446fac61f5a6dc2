// vnddvpnd's command line: one or more "-tunnel IF LOCAL_IP PORT REMOTE_IP PORT"
// groups, each optionally followed by its own -pwd, plus process options.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace tvpn {

struct TunnelOptions {
    std::string ifname;
    std::string local_host, local_port;
    std::string remote_host, remote_port;
    std::string password;  // empty: clear text
    bool has_password = false;
};

struct DaemonOptions {
    std::vector<TunnelOptions> tunnels;
    bool daemonize = false;
    bool verbose = false;
    std::string backend;   // "", "tap", "vndd"
    std::string pidfile;   // overrides the default path (one tunnel only)
};

Result<DaemonOptions> parse_daemon_args(const std::vector<std::string>& args);
const char* vnddvpnd_usage();

}  // namespace tvpn
