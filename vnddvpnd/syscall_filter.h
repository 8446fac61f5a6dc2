// The seccomp allow-list vnddvpnd runs under once set up (after
// drop_privileges): the system calls of the packet path, the timers, the
// control socket, the console, signals, logging, the peer resolver's
// lookups (getaddrinfo_a: a thread, DNS sockets, /etc files), a reload of
// the configuration, sd_notify, and exit. Any other call kills the process
// (SIGSYS; the kernel's audit log names the call, nothing else). Needs no
// privilege: PR_SET_NO_NEW_PRIVS is set first.
#pragma once

#include "common/result.h"

namespace tvpn {

// Loads the filter on every thread of the process. In builds with
// AddressSanitizer the sanitizers' runtime (its leak check at exit, its
// reports) is allowed what it needs on top.
Status install_syscall_filter();

}  // namespace tvpn
