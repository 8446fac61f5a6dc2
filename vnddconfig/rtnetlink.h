// The few rtnetlink requests of `vnddconfig up` and `down`: what
// `ip addr add`, `ip link add NAME type bridge`, `ip link set IF master BR`,
// `ip link set IF up` and `ip link del` do, each answered by the kernel
// before the next (an error names the request and the kernel's errno).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/config/config_values.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn {

class Rtnetlink {
public:
    static Result<Rtnetlink> open();

    Status add_address(const std::string& ifname, const config::IpPrefix& prefix);
    Status add_bridge(const std::string& name);  // created down; set_up brings it up
    Status set_master(const std::string& ifname, const std::string& bridge);
    Status set_up(const std::string& ifname);
    Status delete_link(const std::string& ifname);

private:
    explicit Rtnetlink(UniqueFd fd) : fd_(std::move(fd)) {}
    // Sends one request and waits (bounded) for its acknowledgement.
    Status request(std::span<uint8_t> message, const std::string& what);

    UniqueFd fd_;
    uint32_t seq_ = 0;
};

// The interface's index, 0 when there is no such interface.
unsigned interface_index(const std::string& name);
// Whether `name` is a Linux bridge (it has /sys/class/net/NAME/bridge).
bool is_bridge(const std::string& name);

}  // namespace tvpn
