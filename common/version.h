// The version both tools print (--version); debian/changelog carries the same
// (tests/scripts/help_version_test.sh checks that they agree).
#pragma once

namespace tvpn {

inline constexpr const char* kTvpnVersion = "0.1.0";

}  // namespace tvpn
