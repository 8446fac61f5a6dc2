// Packing and unpacking of the vnddmgr ioctl arguments (driver/vnddmgr_abi.h)
// and the meaning of the module's errno values. Pure functions: unit-tested
// without the module.
#pragma once

#include <string>

#include "common/device/device.h"
#include "driver/vnddmgr_abi.h"

namespace tvpn {

enum class VnddOp { Version, Add, Remove, Attach, List };

// The ADD argument for a validated spec: name zero-filled, flags for MAC/NOARP.
vndd_add pack_vndd_add(const InterfaceSpec& spec);
// The REMOVE/ATTACH argument.
vndd_ref pack_vndd_ref(const std::string& name, uint32_t flags);
// One LIST entry as the tools show it; rejects an unterminated name.
Result<InterfaceInfo> unpack_vndd_info(const vndd_info& info);
// Null when the module's ABI version is one these tools speak.
std::optional<Error> check_vndd_version(const vndd_version& ver);
// A sentence for the user about errno `err` from `op` on interface `name`.
std::string vndd_error_message(VnddOp op, const std::string& name, int err);

}  // namespace tvpn
