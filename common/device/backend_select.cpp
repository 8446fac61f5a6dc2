#include "common/device/backend_select.h"

#include <unistd.h>

#include "common/device/tap_backend.h"
#include "common/device/vndd_backend.h"

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
    return std::unique_ptr<Backend>(new VnddBackend());
}

// The automatic choice with the module loaded: new interfaces are vndd
// ones, and `list` shows the TAP interfaces as well.
class AutoBackend final : public Backend {
public:
    const char* kind() const override { return vndd_.kind(); }
    Status create(const InterfaceSpec& spec) override { return vndd_.create(spec); }
    Status remove(const std::string& name) override {
        return is_tap_interface(name) ? tap_.remove(name) : vndd_.remove(name);
    }
    Result<std::unique_ptr<Device>> attach(const std::string& name) override { return vndd_.attach(name); }
    Result<std::vector<InterfaceInfo>> list() override {
        auto all = vndd_.list();
        if (!all || !TapBackend::available()) return all;
        auto taps = tap_.list();
        if (!taps) return taps.error();
        all->insert(all->end(), taps->begin(), taps->end());
        return all;
    }

private:
    VnddBackend vndd_;
    TapBackend tap_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_backend(std::string_view forced) {
    if (forced == "tap") return open_tap();
    if (forced == "vndd") return open_vndd();
    if (!forced.empty()) return Error{"unknown backend '" + std::string(forced) + "' (expected tap or vndd)"};
    if (!vndd_present()) return open_tap();
    return std::unique_ptr<Backend>(new AutoBackend());
}

Result<std::unique_ptr<Backend>> backend_for_interface(std::string_view forced, const std::string& name) {
    if (forced.empty() && is_tap_interface(name)) return open_tap();
    if (forced.empty() && is_vndd_interface(name)) return open_vndd();
    return open_backend(forced);
}

}  // namespace tvpn
