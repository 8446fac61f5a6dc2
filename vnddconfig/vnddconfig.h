// vnddconfig: creates, removes and lists TVPN virtual interfaces.
#pragma once

#include <string>
#include <vector>

#include "common/device.h"

namespace tvpn {

enum class ConfigVerb { Add, Remove, List, Status, Usage };

struct ConfigCommand {
    ConfigVerb verb = ConfigVerb::Usage;
    InterfaceSpec spec;        // add: name, mtu, mac, noarp; remove, status: name
    std::string backend;       // "-backend tap|vndd", empty: automatic
};

// Parses the arguments after the program name; an Error is for the user.
Result<ConfigCommand> parse_config_args(const std::vector<std::string>& args);

const char* vnddconfig_usage();

}  // namespace tvpn
