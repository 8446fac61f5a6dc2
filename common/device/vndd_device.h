// A vnddmgr interface attached for frame I/O (the vndd backend's Device):
// single frames, offload metadata and batches as the module's ABI offers.
#pragma once

#include <memory>
#include <string>

#include "common/device/device.h"
#include "common/unique_fd.h"

namespace tvpn {

// `fd` is attached with `attach_flags` (VNDD_ATTACH_*).
std::unique_ptr<Device> make_vndd_device(std::string name, UniqueFd fd, uint32_t attach_flags);

}  // namespace tvpn
