// The features an interface has on, by the names `ethtool -k` shows
// (ETHTOOL_GSTRINGS of ETH_SS_FEATURES and ETHTOOL_GFEATURES): the bits
// themselves are not part of the kernel's user-space ABI, the names are.
#pragma once

#include <map>
#include <string>

namespace probe {

// Name -> active; empty when the interface cannot be asked.
std::map<std::string, bool> netdev_features(const std::string& ifname);

}  // namespace probe
