// Opening a file that decides what the daemon does (a configuration with
// commands run as root, a password) only when no one but root or the reading
// user could have written it, and reading it whole within a size bound.
// The checks are on the opened descriptor (fstat), so the file read is the
// file checked.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn::config {

struct FileRules {
    std::string_view what;  // "password file", "configuration file"
    mode_t forbidden;       // permission bits that make the file untrusted
    std::string_view fix;   // the chmod that clears them, e.g. "chmod 600"
    size_t max_size;
};

// Who reads the file: its trusted owner (besides root) and, if any, the one
// group that may read it although rules.forbidden says group-read: the
// group vnddvpnd runs as after set-up (root:tvpn 0640, tvpn.conf(5)), so
// that the daemon, no longer root, can read it again on a reload.
struct FileReader {
    uid_t owner;
    std::optional<gid_t> group = std::nullopt;
};

// Opens `path` if it is a regular file owned by root or by reader.owner,
// with none of rules.forbidden set (but group-read when the file's group is
// reader.group) and at most rules.max_size bytes long.
Result<UniqueFd> open_checked_file(const std::string& path, const FileRules& rules, const FileReader& reader);

// Reads `fd` to its end into `buf`, which must be at least rules.max_size + 1
// long; an error if it holds more than rules.max_size bytes (it grew since
// open_checked_file) or a read fails.
Result<size_t> read_whole_file(int fd, std::span<uint8_t> buf, const std::string& path, const FileRules& rules);

}  // namespace tvpn::config
