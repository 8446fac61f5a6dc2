// The daemon's answer to the control command "stats [IF]": reports
// (stats_report.h) as lines of key=value pairs, one line per interface
// followed by one per peer of it:
//   tvpn-stats 1
//   interface name=vlan3 backend=tap mtu=1500 listen=198.51.100.1:33000 drop.auth=0 ...
//   peer name=site-b endpoint=198.51.100.2:33000 state=up receive_bytes=1234 ...
//   end
// A value never holds a space; "-" stands for none. The reader treats the
// bytes as untrusted input: every key must be known and present once, every
// value well-formed and in range, every size bounded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/control/stats_report.h"
#include "common/result.h"

namespace tvpn {

constexpr size_t kMaxStatsReply = 8u << 20;    // bytes: 1024 peers need about 1 MiB
constexpr size_t kMaxStatsLine = 4096;         // bytes
constexpr size_t kMaxStatsInterfaces = 256;
constexpr size_t kMaxStatsPeers = 4096;        // per interface
constexpr size_t kMaxListenAddresses = 64;     // per interface

std::string write_stats(const std::vector<InterfaceReport>& interfaces);
Result<std::vector<InterfaceReport>> parse_stats(std::string_view text);

}  // namespace tvpn
