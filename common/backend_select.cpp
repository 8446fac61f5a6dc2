#include "common/backend_select.h"

#include <unistd.h>

#include "common/tap_backend.h"

namespace tvpn {
namespace {

constexpr const char* kVnddPath = "/dev/vnddmgr";

bool vndd_present() { return ::access(kVnddPath, F_OK) == 0; }

Result<std::unique_ptr<Backend>> open_tap() {
    if (!TapBackend::available()) return Error{"the tap backend is unavailable: /dev/net/tun does not exist"};
    return std::unique_ptr<Backend>(new TapBackend());
}

Result<std::unique_ptr<Backend>> open_vndd() {
    if (!vndd_present()) return Error{"the vndd backend is unavailable: /dev/vnddmgr does not exist (load vnddmgr.ko)"};
    return Error{"the vndd backend is not supported by this build"};
}

}  // namespace

Result<std::unique_ptr<Backend>> open_backend(std::string_view forced) {
    if (forced == "tap") return open_tap();
    if (forced == "vndd") return open_vndd();
    if (!forced.empty()) return Error{"unknown backend '" + std::string(forced) + "' (expected tap or vndd)"};
    return vndd_present() ? open_vndd() : open_tap();
}

Result<std::unique_ptr<Backend>> backend_for_interface(std::string_view forced, const std::string& name) {
    if (forced.empty() && is_tap_interface(name)) return open_tap();
    return open_backend(forced);
}

}  // namespace tvpn
