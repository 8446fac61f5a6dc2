#include "vnddvpnd/core_dumps.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>

namespace tvpn {

Status forbid_core_dumps() {
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Error{errno_message("prctl(PR_SET_DUMPABLE, 0)", errno)};
    // Also a limit of 0: the dumpable flag alone is reset by a change of
    // credentials; the limit is not (a piped core_pattern ignores it, the
    // flag covers that case).
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0) return Error{errno_message("setrlimit(RLIMIT_CORE, 0)", errno)};
    return {};
}

}  // namespace tvpn
