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
    std::string cipher;    // "" (SPAKE2 handshake + AEAD) or "des" (the original, insecure format)
};

struct DaemonOptions {
    std::vector<TunnelOptions> tunnels;
    bool daemonize = false;
    bool verbose = false;
    std::string backend;   // "", "tap", "vndd"
    std::string pidfile;   // overrides the default path (one tunnel only)
    unsigned rekey_seconds = 0;  // -rekey (tests): 0 is the protocol's default
};

Result<DaemonOptions> parse_daemon_args(const std::vector<std::string>& args);
// Overwrites the passwords once the codecs have what they need.
void wipe_passwords(DaemonOptions& opts);
const char* vnddvpnd_usage();

}  // namespace tvpn
