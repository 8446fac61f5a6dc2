#include "vnddvpnd/run_as.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <vector>

namespace tvpn {
namespace {

struct Account {
    std::string name;
    uid_t uid;
    gid_t gid;
};

// The passwd entry of `name`; nullopt when there is none, an error when the
// lookup itself failed.
Result<std::optional<Account>> find_user(const std::string& name) {
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* found = nullptr;
    const int rc = ::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found);
    if (rc != 0 && rc != ENOENT && rc != ESRCH) return Error{errno_message("cannot look up user " + name, rc)};
    if (!found) return std::optional<Account>{};
    return std::optional<Account>{Account{name, pw.pw_uid, pw.pw_gid}};
}

RunAs stay_as_we_are(std::string name) {
    return RunAs{std::move(name), ::geteuid(), ::getegid(), false, false};
}

Result<RunAs> named(const std::string& name) {
    auto user = find_user(name);
    if (!user) return user.error();
    if (!*user)
        return Error{"user '" + name + "' (-user or User=) does not exist: create it (the tvpn package creates " +
                     kDefaultUser + ") or name another"};
    const Account& a = **user;
    const uid_t euid = ::geteuid();
    if (euid != 0 && a.uid != euid)
        return Error{"-user " + name + ": vnddvpnd runs as uid " + std::to_string(euid) +
                     " and cannot become another user (start it as root)"};
    if (a.uid == 0) return RunAs{name, 0, ::getegid(), false, false};  // stays root, on purpose
    return RunAs{name, a.uid, a.gid, euid == 0, false};
}

}  // namespace

Result<RunAs> resolve_run_as(const std::string& requested) {
    if (!requested.empty()) return named(requested);
    if (::geteuid() != 0) return stay_as_we_are("uid " + std::to_string(::geteuid()));
    auto user = find_user(kDefaultUser);
    if (!user) return user.error();
    if (!*user) {
        RunAs root = stay_as_we_are("root");
        root.default_missing = true;
        return root;
    }
    return named(kDefaultUser);
}

std::string run_as_note(const RunAs& who) {
    if (!who.default_missing) return "";
    return std::string("no user ") + kDefaultUser +
           ": vnddvpnd stays root (without capabilities) after set-up; create it (the tvpn package does, or "
           "'useradd --system --no-create-home --shell /usr/sbin/nologin " + kDefaultUser + "') or name one with -user";
}

}  // namespace tvpn
