#include "common/control/runtime_paths.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
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

bool has_netns_suffix(std::string_view stem) {
    const size_t at = stem.rfind("@net");
    if (at == std::string_view::npos || at + 4 == stem.size()) return false;
    return std::all_of(stem.begin() + static_cast<long>(at) + 4, stem.end(), [](char c) { return c >= '0' && c <= '9'; });
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

std::vector<std::string> runtime_interfaces() {
    std::vector<std::string> names;
    DIR* dir = ::opendir(kRunDir);
    if (!dir) return names;
    const std::string suffix = netns_suffix();
    while (const dirent* e = ::readdir(dir)) {
        std::string_view file = e->d_name;
        const size_t dot = file.rfind('.');
        if (dot == std::string_view::npos || (file.substr(dot) != ".ctl" && file.substr(dot) != ".up")) continue;
        std::string_view stem = file.substr(0, dot);
        // IF@netINODE belongs to another namespace, unless INODE is ours.
        if (suffix.empty() ? has_netns_suffix(stem) : !stem.ends_with(suffix)) continue;
        stem.remove_suffix(suffix.size());
        if (!stem.empty() && std::find(names.begin(), names.end(), stem) == names.end()) names.emplace_back(stem);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<Error> check_pidfile_path(const std::string& path) {
    if (path.empty() || path[0] != '/') return Error{"-pidfile needs an absolute path"};
    return std::nullopt;
}

}  // namespace tvpn
