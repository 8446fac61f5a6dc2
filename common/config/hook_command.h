// PreUp/PostUp/PreDown/PostDown commands of a configuration file: "%i"
// stands for the interface's name and "%%" for a percent sign. Any other '%'
// sequence is refused when the file is read, so that expanding never fails
// and a typo ("%I") does not reach the shell as it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tvpn::config {

// Null when `command` is non-empty and uses only %i and %%, else why not.
std::optional<Error> check_hook(std::string_view command);

// `command` (checked by check_hook) with %i replaced by `ifname` and %% by %.
// The configuration only accepts interface names a shell takes literally
// (letters, digits, '_', '.', '-'), so no quoting is needed.
std::string expand_hook(std::string_view command, std::string_view ifname);

}  // namespace tvpn::config
