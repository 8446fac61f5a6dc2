// The account vnddvpnd runs as once its interfaces are attached (-user NAME,
// User = NAME in tvpn.conf(5)). The rule:
//   - NAME given: that user, who must exist; a daemon started as another
//     user than root cannot switch, so there NAME must be that user;
//     NAME root keeps uid 0 (still without capabilities).
//   - no NAME, started as root: the user tvpn (the package's), and root
//     only when no such user exists (logged: run_as_note);
//   - no NAME, started as another user (the unit's User=tvpn with
//     CAP_NET_ADMIN as an ambient capability): that user.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace tvpn {

inline constexpr const char* kDefaultUser = "tvpn";

struct RunAs {
    std::string name;  // for messages
    uid_t uid = 0;
    gid_t gid = 0;     // the user's primary group, the only group kept
    // Started as root and to become another user (else the ids stay).
    bool switch_user = false;
    // No -user, started as root and kDefaultUser is missing: stays root.
    bool default_missing = false;
};

// `requested`: -user NAME or User=, empty for the default.
Result<RunAs> resolve_run_as(const std::string& requested);

// What to log (info: an install without the package has no tvpn user) when
// the default stays root, or "".
std::string run_as_note(const RunAs& who);

}  // namespace tvpn
