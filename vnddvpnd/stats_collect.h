// The daemon's side of `vnddconfig show`: its interfaces and peers as
// reports (common/control/stats_report.h), read from the datapath between
// packets.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/control/stats_report.h"
#include "common/datapath/datapath.h"

namespace tvpn {

// Every interface, or only `only` (none when the daemon does not serve it).
std::vector<InterfaceReport> collect_stats(const Datapath& datapath, uint64_t now_ns, std::string_view only = {});

}  // namespace tvpn
