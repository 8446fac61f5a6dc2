#include "common/control/runtime_paths.h"

#include <sys/stat.h>

#include <cerrno>

namespace tvpn {
namespace {

std::string netns_suffix() {
    struct stat self{}, init{};
    if (::stat("/proc/self/ns/net", &self) < 0) return "";
    // When PID 1's namespace cannot be read (a sandbox), assume it is not ours.
    if (::stat("/proc/1/ns/net", &init) == 0 && self.st_ino == init.st_ino) return "";
    return "@net" + std::to_string(self.st_ino);
}

}  // namespace

std::string default_pidfile(const std::string& ifname) {
    return std::string(kRunDir) + "/" + ifname + netns_suffix() + ".pid";
}

std::string up_record_path(const std::string& ifname) {
    return std::string(kRunDir) + "/" + ifname + netns_suffix() + ".up";
}

Status make_run_dir() {
    if (::mkdir(kRunDir, 0755) < 0 && errno != EEXIST) return Error{errno_message(std::string("cannot create ") + kRunDir, errno)};
    return {};
}

std::string control_socket_path(const std::string& pidfile) {
    const std::string ext = ".pid";
    if (pidfile.size() > ext.size() && pidfile.compare(pidfile.size() - ext.size(), ext.size(), ext) == 0)
        return pidfile.substr(0, pidfile.size() - ext.size()) + ".ctl";
    return pidfile + ".ctl";
}

std::optional<Error> check_pidfile_path(const std::string& path) {
    if (path.empty() || path[0] != '/') return Error{"-pidfile needs an absolute path"};
    return std::nullopt;
}

}  // namespace tvpn
