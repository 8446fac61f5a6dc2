#include "common/device/vndd_backend.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include "common/device/tap_backend.h"
#include "common/unique_fd.h"
#include "common/device/vndd_batch.h"
#include "common/device/vndd_device.h"
#include "common/device/vndd_ioctl_args.h"

namespace tvpn {
namespace {

constexpr const char* kCtlPath = "/dev/" VNDD_DEVICE_NAME;
// Bounds the LIST loop: 1024 batches are 16384 interfaces.
constexpr int kMaxListBatches = 1024;

static_assert(VNDD_MIN_MTU == kMinMtu && VNDD_MAX_MTU == kMaxMtu, "the module and the tools must agree on MTUs");
static_assert(VNDD_NAME_SIZE == kMaxIfNameLen + 1);

// Opens the control device and checks that it speaks our ABI.
Result<UniqueFd> open_ctl(bool nonblock, vndd_version* version = nullptr) {
    UniqueFd fd(::open(kCtlPath, O_RDWR | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0)));
    if (!fd.valid()) return Error{errno_message(std::string("cannot open ") + kCtlPath, errno)};
    vndd_version ver{};
    if (::ioctl(fd.get(), VNDD_IOC_GETVER, &ver) < 0)
        return Error{vndd_error_message(VnddOp::Version, "", errno)};
    if (auto err = check_vndd_version(ver)) return *err;
    if (version) *version = ver;
    return fd;
}

// One batch of LIST; `after` moves past the last entry returned.
Status list_batch(int fd, uint32_t& after, bool& more, std::vector<InterfaceInfo>& out) {
    vndd_list req{};
    req.after_ifindex = after;
    if (::ioctl(fd, VNDD_IOC_LIST, &req) < 0) return Error{vndd_error_message(VnddOp::List, "", errno)};
    if (req.count > VNDD_LIST_BATCH) return Error{"vnddmgr returned a malformed list"};
    for (uint32_t i = 0; i < req.count; ++i) {
        if (req.entries[i].ifindex <= after) return Error{"vnddmgr returned a list out of order"};
        after = req.entries[i].ifindex;
        auto info = unpack_vndd_info(req.entries[i]);
        if (!info) return info.error();
        out.push_back(std::move(*info));
    }
    more = req.more != 0 && req.count > 0;
    return {};
}

Result<std::vector<InterfaceInfo>> list_all(int fd) {
    std::vector<InterfaceInfo> out;
    uint32_t after = 0;
    bool more = true;
    for (int i = 0; more && i < kMaxListBatches; ++i)
        if (auto st = list_batch(fd, after, more, out); !st) return Error{st.message()};
    return out;
}

}  // namespace

bool VnddBackend::available() { return ::access(kCtlPath, F_OK) == 0; }

bool is_vndd_interface(const std::string& name) {
    if (!VnddBackend::available()) return false;
    auto fd = open_ctl(false);
    if (!fd) return false;
    auto all = list_all(fd->get());
    if (!all) return false;
    for (const auto& info : *all)
        if (info.name == name) return true;
    return false;
}

Status VnddBackend::create(const InterfaceSpec& spec) {
    if (auto err = check_ifname(spec.name)) return *err;
    if (auto err = check_mtu(spec.mtu)) return *err;
    auto fd = open_ctl(false);
    if (!fd) return fd.error();
    vndd_add req = pack_vndd_add(spec);
    if (::ioctl(fd->get(), VNDD_IOC_ADD, &req) < 0) return Error{vndd_error_message(VnddOp::Add, spec.name, errno)};
    return {};
}

Status VnddBackend::remove(const std::string& name) {
    if (auto err = check_ifname(name)) return *err;
    auto fd = open_ctl(false);
    if (!fd) return fd.error();
    // No VNDD_REMOVE_FORCE: like the tap backend, refuse while a daemon is attached.
    vndd_ref req = pack_vndd_ref(name, 0);
    if (::ioctl(fd->get(), VNDD_IOC_REMOVE, &req) == 0) return {};
    int err = errno;
    if (err == ENODEV && interface_exists(name)) return Error{name + " is not a vndd interface; not removing it"};
    return Error{vndd_error_message(VnddOp::Remove, name, err)};
}

Result<std::unique_ptr<Device>> VnddBackend::attach(const std::string& name) {
    if (auto err = check_ifname(name)) return *err;
    vndd_version ver{};
    auto fd = open_ctl(true, &ver);
    if (!fd) return fd.error();
    // Offload metadata and batched writes when the module offers them
    // (GETVER's features); otherwise the plain single-frame attach.
    const uint32_t flags = vndd_attach_flags(ver);
    vndd_ref req = pack_vndd_ref(name, flags);
    if (::ioctl(fd->get(), VNDD_IOC_ATTACH, &req) < 0) {
        int err = errno;
        if (err == ENODEV)
            return Error{"interface " + name + " does not exist or is not a vndd interface (create it with: vnddconfig add " +
                         name + ")"};
        return Error{vndd_error_message(VnddOp::Attach, name, err)};
    }
    return make_vndd_device(name, std::move(*fd), flags);
}

Result<std::vector<InterfaceInfo>> VnddBackend::list() {
    auto fd = open_ctl(false);
    if (!fd) return fd.error();
    return list_all(fd->get());
}

}  // namespace tvpn
