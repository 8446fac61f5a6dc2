// Picks the device backend: vndd when /dev/vnddmgr exists, else tap;
// "-backend tap|vndd" forces one and fails if it is unavailable.
#pragma once

#include <memory>
#include <string_view>

#include "common/device/device.h"

namespace tvpn {

// `forced` is "", "tap" or "vndd".
Result<std::unique_ptr<Backend>> open_backend(std::string_view forced);

// The backend that owns an existing interface (for remove and attach).
Result<std::unique_ptr<Backend>> backend_for_interface(std::string_view forced, const std::string& name);

}  // namespace tvpn
