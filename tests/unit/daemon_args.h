// vnddvpnd command lines for the options tests: parse_daemon_args takes views
// (of argv in main()); these keep the strings alive for the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vnddvpnd/options.h"

namespace tvpn::test {

inline Result<DaemonOptions> parse(const std::vector<std::string>& args) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    return parse_daemon_args(views);
}

inline std::string text_of(const crypto::Secret& s) { return {reinterpret_cast<const char*>(s.data()), s.size()}; }

}  // namespace tvpn::test
