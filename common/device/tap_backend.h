// The "tap" backend: persistent interfaces from the kernel's TUN/TAP driver
// (/dev/net/tun, IFF_TAP | IFF_NO_PI, TUNSETPERSIST).
#pragma once

#include "common/device/device.h"

namespace tvpn {

class TapBackend final : public Backend {
public:
    static bool available();
    const char* kind() const override { return "tap"; }
    Status create(const InterfaceSpec& spec) override;
    Status remove(const std::string& name) override;
    Result<std::unique_ptr<Device>> attach(const std::string& name) override;
    Result<std::vector<InterfaceInfo>> list() override;
};

// Facts about interfaces read from sysfs and procfs, shared by the backends.
bool interface_exists(const std::string& name);
bool is_tap_interface(const std::string& name);
Result<InterfaceInfo> read_interface_info(const std::string& name);
// PID of a process holding a TAP file attached to `name`, or 0.
pid_t find_tap_holder(const std::string& name);

}  // namespace tvpn
