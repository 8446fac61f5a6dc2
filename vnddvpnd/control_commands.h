// What the daemon's control sockets answer (common/control/control_socket.h),
// one command per connection:
//   status [IF]  the status text (vnddconfig status IF)
//   stats [IF]   the same as reports (common/control/stats_wire.h; vnddconfig show)
// Anything else gets "error: ..." naming the known commands.
#pragma once

#include <cstdint>
#include <string>

#include "common/datapath/datapath.h"

namespace tvpn {

std::string answer_control(const Datapath& datapath, const std::string& command, uint64_t now_ns);

}  // namespace tvpn
