#include "vnddvpnd/privileges.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "vnddvpnd/core_dumps.h"

namespace tvpn {
namespace {

using CapSets = __user_cap_data_struct[_LINUX_CAPABILITY_U32S_3];

// glibc has no wrapper for these (libcap's would be a library for two calls).
bool get_caps(CapSets& sets) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    return ::syscall(SYS_capget, &header, sets) == 0;
}

bool clear_caps() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    CapSets none{};
    return ::syscall(SYS_capset, &header, none) == 0;
}

bool has_effective(int cap) {
    CapSets sets{};
    return get_caps(sets) && (sets[cap / 32].effective & (1u << (cap % 32))) != 0;
}

bool no_caps_left() {
    CapSets sets{};
    if (!get_caps(sets)) return false;
    for (const auto& s : sets)
        if (s.effective || s.permitted || s.inheritable) return false;
    return true;  // and so no ambient ones: those are a subset of the permitted
}

// The bounding set limits what an exec could gain; NO_NEW_PRIVS already
// forbids that, this is one more wall. Only with CAP_SETPCAP (root).
void drop_bounding_set() {
    if (!has_effective(CAP_SETPCAP)) return;
    for (int cap = 0; cap < 64; ++cap)
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) break;  // EINVAL: past the kernel's last
}

void hand_over(std::span<const std::string> files, const RunAs& who, Logger& log) {
    for (const auto& f : files)
        if (::fchownat(AT_FDCWD, f.c_str(), who.uid, who.gid, AT_SYMLINK_NOFOLLOW) != 0)
            log.warning(errno_message("cannot give " + f + " to user " + who.name + " (left behind at exit)", errno));
}

Status change_ids(const RunAs& who) {
    if (::setresgid(who.gid, who.gid, who.gid) != 0) return Error{errno_message("setresgid " + std::to_string(who.gid), errno)};
    if (::setresuid(who.uid, who.uid, who.uid) != 0) return Error{errno_message("setresuid " + std::to_string(who.uid), errno)};
    return {};
}

// Supplementary groups go where we may clear them (root, or CAP_SETGID);
// a daemon started as its user keeps the groups it was given (none, for
// the package's tvpn).
Status clear_groups() {
    if (::geteuid() != 0 && !has_effective(CAP_SETGID)) return {};
    if (::setgroups(0, nullptr) != 0) return Error{errno_message("setgroups", errno)};
    return {};
}

bool ids_are(uid_t uid, gid_t gid) {
    uid_t r, e, s;
    gid_t rg, eg, sg;
    if (::getresuid(&r, &e, &s) != 0 || ::getresgid(&rg, &eg, &sg) != 0) return false;
    return r == uid && e == uid && s == uid && rg == gid && eg == gid && sg == gid;
}

// What drop_privileges promises, read back from the kernel: a failure here
// is a bug or a kernel that did not do what it was asked, and so fatal.
Status verify(const RunAs& who, bool groups_cleared) {
    if (who.switch_user) {
        if (!ids_are(who.uid, who.gid)) return Error{"the user and group ids did not change to " + who.name + "'s"};
        if (::setuid(0) == 0 || ::setgid(0) == 0) return Error{"root could be had back after the switch to " + who.name};
    }
    if (groups_cleared && ::getgroups(0, nullptr) != 0) return Error{"supplementary groups are left"};
    if (!no_caps_left()) return Error{"capabilities are left"};
    if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) return Error{"no_new_privs is not set"};
    if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) return Error{"the process is dumpable"};
    return {};
}

}  // namespace

bool may_attach_interfaces() { return ::geteuid() == 0 || has_effective(CAP_NET_ADMIN); }

Status drop_privileges(const RunAs& who, std::span<const std::string> own_files, Logger& log) {
    const auto fail = [](const std::string& what) { return Error{"cannot drop privileges: " + what}; };
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail(errno_message("prctl(PR_SET_NO_NEW_PRIVS)", errno));
    if (who.switch_user) hand_over(own_files, who, log);
    drop_bounding_set();
    const bool groups_cleared = ::geteuid() == 0 || has_effective(CAP_SETGID);
    if (auto st = clear_groups(); !st) return fail(st.message());
    if (who.switch_user)
        if (auto st = change_ids(who); !st) return fail(st.message());
    // Ambient capabilities (the unit's) would survive into a child; EINVAL:
    // a kernel before 4.3, which has none.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return fail(errno_message("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", errno));
    if (!clear_caps()) return fail(errno_message("capset", errno));
    // A change of ids makes the kernel reset the dumpable flag: set again.
    if (auto st = forbid_core_dumps(); !st) return fail(st.message());
    if (auto st = verify(who, groups_cleared); !st) return fail(st.message());
    return {};
}

}  // namespace tvpn
