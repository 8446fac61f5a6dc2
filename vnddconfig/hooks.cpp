#include "vnddconfig/hooks.h"

#include "common/config/hook_command.h"
#include "common/config/ini_reader.h"
#include "vnddconfig/child_process.h"

namespace tvpn {
namespace {

Status run_hook(const std::string& command, const std::string& ifname, std::string_view kind) {
    const std::string expanded = config::expand_hook(command, ifname);
    const std::string what = std::string(kind) + " command " + config::quote_value(expanded);
    auto child = spawn({"/bin/sh", "-c", expanded}, false);
    if (!child) return Error{what + ": " + child.error().message};
    const int status = wait_child(child->pid);
    if (!exited_ok(status)) return Error{what + " failed (" + exit_text(status) + ")"};
    return {};
}

}  // namespace

Status run_hooks_until_failure(const std::vector<std::string>& commands, const std::string& ifname, std::string_view kind) {
    for (const auto& c : commands)
        if (auto st = run_hook(c, ifname, kind); !st) return st;
    return {};
}

std::vector<std::string> run_every_hook(const std::vector<std::string>& commands, const std::string& ifname,
                                        std::string_view kind) {
    std::vector<std::string> failed;
    for (const auto& c : commands)
        if (auto st = run_hook(c, ifname, kind); !st) failed.push_back(st.message());
    return failed;
}

}  // namespace tvpn
