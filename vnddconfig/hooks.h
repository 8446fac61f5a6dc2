// A configuration file's PreUp/PostUp/PreDown/PostDown commands, each run as
// `/bin/sh -c COMMAND` with %i replaced by the interface's name, in the
// file's order, with vnddconfig's stdin, stdout and stderr.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tvpn {

// Runs `commands` until one fails (up: a failed hook fails the up).
// `kind` ("PreUp") names the command in the error.
Status run_hooks_until_failure(const std::vector<std::string>& commands, const std::string& ifname, std::string_view kind);

// Runs every one of `commands`; what failed (down: undo the rest anyway).
std::vector<std::string> run_every_hook(const std::vector<std::string>& commands, const std::string& ifname,
                                        std::string_view kind);

}  // namespace tvpn
