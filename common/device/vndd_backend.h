// The "vndd" backend: interfaces of TVPN's vnddmgr kernel module, managed
// and attached through ioctls on /dev/vnddmgr (driver/vnddmgr_abi.h).
#pragma once

#include "common/device/device.h"

namespace tvpn {

class VnddBackend final : public Backend {
public:
    static bool available();
    const char* kind() const override { return "vndd"; }
    Status create(const InterfaceSpec& spec) override;
    Status remove(const std::string& name) override;
    Result<std::unique_ptr<Device>> attach(const std::string& name) override;
    Result<std::vector<InterfaceInfo>> list() override;
};

// True when `name` is a vnddmgr interface in this network namespace.
bool is_vndd_interface(const std::string& name);

}  // namespace tvpn
