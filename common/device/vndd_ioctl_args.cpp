#include "common/device/vndd_ioctl_args.h"

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace tvpn {
namespace {

// Fixed-size name field: copies at most VNDD_NAME_SIZE - 1 bytes, zero-fills the rest.
void put_name(char (&dst)[VNDD_NAME_SIZE], const std::string& name) {
    std::memset(dst, 0, sizeof dst);
    std::memcpy(dst, name.data(), std::min(name.size(), sizeof dst - 1));
}

const char* op_verb(VnddOp op) {
    switch (op) {
        case VnddOp::Version: return "query the vnddmgr version";
        case VnddOp::Add: return "create";
        case VnddOp::Remove: return "remove";
        case VnddOp::Attach: return "attach to";
        case VnddOp::List: return "list";
    }
    return "use";
}

}  // namespace

vndd_add pack_vndd_add(const InterfaceSpec& spec) {
    vndd_add req{};
    put_name(req.name, spec.name);
    req.mtu = static_cast<uint32_t>(spec.mtu);
    if (spec.mac) {
        std::memcpy(req.mac, spec.mac->data(), sizeof req.mac);
        req.flags |= VNDD_ADD_MAC;
    }
    if (spec.noarp) req.flags |= VNDD_ADD_NOARP;
    return req;
}

vndd_ref pack_vndd_ref(const std::string& name, uint32_t flags) {
    vndd_ref req{};
    put_name(req.name, name);
    req.flags = flags;
    return req;
}

Result<InterfaceInfo> unpack_vndd_info(const vndd_info& in) {
    size_t len = strnlen(in.name, sizeof in.name);
    if (len == 0 || len == sizeof in.name) return Error{"vnddmgr returned a malformed interface name"};
    InterfaceInfo out;
    out.name.assign(in.name, len);
    out.backend = "vndd";
    std::memcpy(out.mac.data(), in.mac, out.mac.size());
    out.mtu = static_cast<int>(in.mtu);
    out.attached = (in.flags & VNDD_INFO_ATTACHED) != 0;
    out.attached_pid = out.attached && in.attached_pid > 0 ? in.attached_pid : 0;
    return out;
}

std::optional<Error> check_vndd_version(const vndd_version& ver) {
    if (ver.major == VNDD_ABI_MAJOR && (ver.features & VNDD_FEAT_FRAME_RW)) return std::nullopt;
    return Error{"vnddmgr speaks ABI " + std::to_string(ver.major) + "." + std::to_string(ver.minor) +
                 ", these tools need " + std::to_string(VNDD_ABI_MAJOR) + ".x; load the matching vnddmgr.ko"};
}

std::string vndd_error_message(VnddOp op, const std::string& name, int err) {
    const std::string what = name.empty() ? std::string(op_verb(op)) : std::string(op_verb(op)) + " " + name;
    switch (err) {
        case EPERM:
        case EACCES: return "cannot " + what + ": permission denied (CAP_NET_ADMIN is needed)";
        case EEXIST: return "interface " + name + " already exists";
        case ENODEV: return "interface " + name + " does not exist or is not a vndd interface";
        case EBUSY:
            return op == VnddOp::Remove ? name + " is in use by a daemon; stop it first"
                                        : name + " is already attached to another process";
        case EADDRNOTAVAIL: return "cannot " + what + ": the MAC address is not a unicast address";
        case EINVAL: return "cannot " + what + ": vnddmgr rejected the name, MTU or flags";
        case ENOTTY:
            // ABI 1.x modules answer to other ioctl numbers: GETVER itself is refused.
            if (op == VnddOp::Version)
                return "/dev/vnddmgr does not answer ABI " + std::to_string(VNDD_ABI_MAJOR) +
                       "'s version request: an older vnddmgr.ko is loaded; load the one built with these tools";
            return "cannot " + what + ": /dev/vnddmgr does not understand this request (version mismatch?)";
        default: return errno_message("cannot " + what, err);
    }
}

}  // namespace tvpn
