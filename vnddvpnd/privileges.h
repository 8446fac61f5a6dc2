// What vnddvpnd gives up once its interfaces are attached, its UDP sockets
// bound and its pidfile and control socket made: root (for the -user, see
// vnddvpnd/run_as.h), every supplementary group, every capability (none is
// needed on the packet path: reading and writing an attached TAP or vndd
// file, the UDP sockets and the control socket take none), and the power
// to gain any back (PR_SET_NO_NEW_PRIVS); and it stays not dumpable. The
// system call filter (vnddvpnd/syscall_filter.h) comes after this.
#pragma once

#include <span>
#include <string>

#include "common/log.h"
#include "common/result.h"
#include "vnddvpnd/run_as.h"

namespace tvpn {

// True when this process can attach interfaces: it is root, or it has
// CAP_NET_ADMIN (the unit's AmbientCapabilities=).
bool may_attach_interfaces();

// Drops to `who` for good and checks that it took: the ids (and that root
// cannot be had back), no groups but who.gid where they could be cleared,
// no capability left (effective, permitted, inheritable, ambient; the
// bounding set too where CAP_SETPCAP allows), no new privileges, not
// dumpable. `own_files` (pidfiles, control sockets) are given to the new
// user first, so that it can still remove them at exit where their
// directory lets it (/run/vnddvpnd, root:tvpn 1770).
Status drop_privileges(const RunAs& who, std::span<const std::string> own_files, Logger& log);

}  // namespace tvpn
