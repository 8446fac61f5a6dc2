// parse_stats on arbitrary bytes: a daemon's answer to "stats" is input to
// vnddconfig show. It must not crash; what it accepts must keep the
// format's promises (names and values that check, bounded counts) and read
// back the same after writing it again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/config/config_values.h"
#include "common/control/stats_wire.h"
#include "common/device/netif_spec.h"

using namespace tvpn;

namespace {

void check(const std::vector<InterfaceReport>& reports) {
    if (reports.size() > kMaxStatsInterfaces) std::abort();
    for (const auto& ifc : reports) {
        if (check_ifname(ifc.name) || ifc.mtu > 65535 || ifc.peers.size() > kMaxStatsPeers ||
            ifc.listen.size() > kMaxListenAddresses)
            std::abort();
        for (const auto& p : ifc.peers) {
            if (p.name != ifc.name && config::check_peer_name(p.name)) std::abort();
            if (p.state >= PeerState::Count || (p.path_mtu && *p.path_mtu > 65535)) std::abort();
            if (p.endpoint.find(' ') != std::string::npos || p.endpoint.size() > 80) std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size heap copy, so that ASan sees any read past the input.
    std::unique_ptr<char[]> copy(new char[size ? size : 1]);
    if (size) std::memcpy(copy.get(), data, size);
    auto reports = parse_stats(std::string_view(copy.get(), size));
    if (!reports) {
        if (reports.error().message.empty() || reports.error().message.find('\n') != std::string::npos) std::abort();
        return 0;
    }
    check(*reports);
    const std::string again = write_stats(*reports);
    auto second = parse_stats(again);
    if (!second || write_stats(*second) != again) std::abort();
    return 0;
}
