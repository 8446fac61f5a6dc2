#include "common/datapath/kernel_mtu.h"

#include <netinet/in.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "common/unique_fd.h"

namespace tvpn {

std::optional<uint32_t> route_mtu(const Endpoint& remote) {
    UniqueFd fd(::socket(remote.family(), SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd.valid()) return std::nullopt;
    if (::connect(fd.get(), remote.sa(), remote.len()) < 0) return std::nullopt;
    const bool v6 = remote.family() == AF_INET6;
    int mtu = 0;
    socklen_t len = sizeof mtu;
    if (::getsockopt(fd.get(), v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU : IP_MTU, &mtu, &len) < 0 || mtu <= 0)
        return std::nullopt;
    return static_cast<uint32_t>(mtu);
}

std::optional<uint32_t> interface_mtu(const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ) return std::nullopt;
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return std::nullopt;
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, name.data(), name.size());
    if (::ioctl(fd.get(), SIOCGIFMTU, &ifr) < 0 || ifr.ifr_mtu <= 0) return std::nullopt;
    return static_cast<uint32_t>(ifr.ifr_mtu);
}

}  // namespace tvpn
