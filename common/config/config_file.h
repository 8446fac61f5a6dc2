// Reading a configuration file (/etc/tvpn/IF.conf) from disk: it names
// commands that run as root, so only a file that no one but root or the
// reading user can write is read.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/config/tvpn_config.h"
#include "common/result.h"

namespace tvpn::config {

inline constexpr size_t kMaxConfigFileSize = 1 << 20;

// parse_config on the file's contents, the path naming it in errors.
// Refuses a file that is not regular, larger than kMaxConfigFileSize, owned
// by a user other than root and `trusted_owner`, or writable by group or others.
Result<TvpnConfig> load_config(const std::string& path, uid_t trusted_owner);
// The same with the effective user as the trusted owner.
Result<TvpnConfig> load_config(const std::string& path);

}  // namespace tvpn::config
