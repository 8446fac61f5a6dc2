// Keeps the process's memory out of core dumps: it holds the -pwd password
// while the keys are derived, the SPAKE2 scalar w for its whole life, and the
// session keys.
#pragma once

#include "common/result.h"

namespace tvpn {

// Not dumpable (no core, whatever the core_pattern; /proc/PID/mem and ptrace
// only for CAP_SYS_PTRACE) and a core size limit of 0, soft and hard. Call it
// first in main(), before any secret is read, and again after any change of
// user or group id (the kernel then resets the dumpable flag).
Status forbid_core_dumps();

}  // namespace tvpn
