// `vnddconfig show [IF] [-pidfile PATH] [--json | --prometheus]`: asks each
// daemon's control socket for "stats IF" (common/control/stats_wire.h) and
// prints what they report. Without IF, every interface this namespace's
// run directory knows (a control socket or an up record): those no daemon
// answers for are listed as such.
#pragma once

#include "vnddconfig/vnddconfig.h"

namespace tvpn {

// The exit status: 0 shown (daemon-less interfaces of a full listing
// included), 1 IF has no daemon or a daemon's answer was not a valid report.
int run_show(const ConfigCommand& cmd);

}  // namespace tvpn
