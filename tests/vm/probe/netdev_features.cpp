#include "tests/vm/probe/netdev_features.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "common/unique_fd.h"

namespace probe {
namespace {

bool ethtool(int s, const std::string& ifname, void* data) {
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    ifr.ifr_data = static_cast<char*>(data);
    return ::ioctl(s, SIOCETHTOOL, &ifr) == 0;
}

// How many feature names the kernel has (0 on failure).
uint32_t feature_count(int s, const std::string& ifname) {
    std::vector<uint8_t> buf(sizeof(ethtool_sset_info) + sizeof(uint32_t));
    auto* info = reinterpret_cast<ethtool_sset_info*>(buf.data());
    info->cmd = ETHTOOL_GSSET_INFO;
    info->sset_mask = 1ull << ETH_SS_FEATURES;
    return ethtool(s, ifname, info) && info->sset_mask ? info->data[0] : 0;
}

}  // namespace

std::map<std::string, bool> netdev_features(const std::string& ifname) {
    std::map<std::string, bool> out;
    tvpn::UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    const uint32_t n = s.valid() ? feature_count(s.get(), ifname) : 0;
    if (n == 0) return out;
    std::vector<uint8_t> names(sizeof(ethtool_gstrings) + n * ETH_GSTRING_LEN);
    auto* gs = reinterpret_cast<ethtool_gstrings*>(names.data());
    gs->cmd = ETHTOOL_GSTRINGS, gs->string_set = ETH_SS_FEATURES, gs->len = n;
    const uint32_t blocks = (n + 31) / 32;
    std::vector<uint8_t> state(sizeof(ethtool_gfeatures) + blocks * sizeof(ethtool_get_features_block));
    auto* gf = reinterpret_cast<ethtool_gfeatures*>(state.data());
    gf->cmd = ETHTOOL_GFEATURES, gf->size = blocks;
    if (!ethtool(s.get(), ifname, gs) || !ethtool(s.get(), ifname, gf)) return out;
    for (uint32_t i = 0; i < n; ++i) {
        const char* name = reinterpret_cast<const char*>(gs->data + i * ETH_GSTRING_LEN);
        out[std::string(name, strnlen(name, ETH_GSTRING_LEN))] = (gf->features[i / 32].active >> (i % 32)) & 1;
    }
    return out;
}

}  // namespace probe
