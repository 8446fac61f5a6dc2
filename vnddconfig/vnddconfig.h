// vnddconfig: creates, removes and lists TVPN virtual interfaces, asks their
// daemon for its status, and brings a configured interface up and down.
#pragma once

#include <string>
#include <vector>

#include "common/device/device.h"

namespace tvpn {

enum class ConfigVerb { Add, Remove, List, Status, Show, Up, Down, Genpsk, Usage };

enum class ShowFormat { Text, Json, Prometheus };

struct ConfigCommand {
    ConfigVerb verb = ConfigVerb::Usage;
    InterfaceSpec spec;        // add: name, mtu, mac, noarp; remove, status, show: name (show: empty for all)
    std::string backend;       // "-backend tap|vndd", empty: automatic
    std::string pidfile;       // status, show IF: the daemon's -pidfile PATH, empty: the default one
    ShowFormat format = ShowFormat::Text;  // show: --json, --prometheus
    std::string config_file;   // up, down: -config FILE, empty: /etc/tvpn/IF.conf (down: the one up read)
    bool no_daemon = false;    // up, down: -no-daemon (a service manager runs the daemon)
};

// Parses the arguments after the program name; an Error is for the user.
Result<ConfigCommand> parse_config_args(const std::vector<std::string>& args);

const char* vnddconfig_usage();

// The control socket `status` asks: the one beside the daemon's pidfile (-pidfile
// PATH as given to vnddvpnd, else the default /run/vnddvpnd/IF.pid).
std::string status_socket_path(const ConfigCommand& cmd);
// Whether a status reply covers interface `ifname` (a line "tunnel IF: ...").
bool status_mentions(const std::string& reply, const std::string& ifname);

}  // namespace tvpn
