// `vnddconfig show --prometheus`: the reports as Prometheus metrics, for
// node_exporter's textfile collector (metric names in vnddconfig(8)):
//   tvpn_peer_receive_bytes_total{interface="vlan3",peer="site-b"} 1234
// Times become Unix timestamps (the file is read later than it is written).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vnddconfig/show_model.h"

namespace tvpn {

// `now_unix_ms`: the wall clock when the reports were taken.
std::string show_prometheus(const std::vector<ShownInterface>& interfaces, uint64_t now_unix_ms);

}  // namespace tvpn
