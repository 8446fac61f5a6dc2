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

// The drop counters of a peer and of an interface, in the order of
// peer_drop_name() and interface_drop_name().
std::array<uint64_t, kPeerDrops> peer_drop_counts(const Datapath::Interface& ifc, const Datapath::PeerEntry& pe,
                                                  const CodecMetrics& m);
std::array<uint64_t, kInterfaceDrops> interface_drop_counts(const Datapath& datapath, const Datapath::Interface& ifc);

// Every interface, or only `only` (none when the daemon does not serve it).
std::vector<InterfaceReport> collect_stats(const Datapath& datapath, uint64_t now_ns, std::string_view only = {});

}  // namespace tvpn
