// vnddconfig entry point: parse, check privileges, run one command.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "common/crypto/random_password.h"
#include "common/device/backend_select.h"
#include "common/control/control_socket.h"
#include "common/control/runtime_paths.h"
#include "common/version.h"
#include "vnddconfig/show_command.h"
#include "vnddconfig/up_down.h"
#include "vnddconfig/vnddconfig.h"

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "vnddconfig: %s\n", message.c_str());
    return 1;
}

int run_list(tvpn::Backend& backend) {
    auto list = backend.list();
    if (!list) return fail(list.error().message);
    std::printf("%-16s %-8s %-17s %-6s %s\n", "NAME", "BACKEND", "MAC", "MTU", "DAEMON");
    for (const auto& info : *list) {
        std::string daemon = info.attached ? (info.attached_pid ? "pid " + std::to_string(info.attached_pid) : "yes")
                                           : "no";
        std::printf("%-16s %-8s %-17s %-6d %s\n", info.name.c_str(), info.backend.c_str(),
                    tvpn::format_mac(info.mac).c_str(), info.mtu, daemon.c_str());
    }
    return 0;
}

// Straight from its Secret to stdout: no copy outlives the call.
int run_genpsk() {
    auto password = tvpn::crypto::random_password();
    if (!password) return fail("the random generator failed (OpenSSL RAND_bytes)");
    std::fwrite(password->data(), 1, password->size(), stdout);
    std::fputc('\n', stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
}

constexpr int kStatusPeerDown = 3;  // `status IF`: a peer of IF is not responding

int run_status(const tvpn::ConfigCommand& cmd) {
    const std::string& ifname = cmd.spec.name;
    const std::string socket = tvpn::status_socket_path(cmd);
    auto reply = tvpn::control_request(socket, "status " + ifname);
    if (!reply) {
        const char* hint = cmd.pidfile.empty() ? "; if it was started with -pidfile PATH, add -pidfile PATH" : "";
        return fail("no vnddvpnd serves " + ifname + " (" + reply.error().message + ")" + hint);
    }
    if (reply->rfind("error:", 0) != 0 && !tvpn::status_mentions(*reply, ifname))
        return fail("the vnddvpnd answering at " + socket + " does not serve " + ifname);
    std::fputs(reply->c_str(), stdout);
    if (reply->rfind("error:", 0) == 0) return 1;
    // For monitoring: a peer that stopped answering is worth an alert.
    return reply->find("peer: NOT RESPONDING") != std::string::npos ? kStatusPeerDown : 0;
}

// Up and down print their error, then what undoing could not do, a line each.
int run_up_down(const tvpn::ConfigCommand& cmd) {
    const bool up = cmd.verb == tvpn::ConfigVerb::Up;
    const std::string& ifname = cmd.spec.name;
    const auto daemon = cmd.no_daemon ? tvpn::UpDaemon::External : tvpn::UpDaemon::Ours;
    const auto out = up ? tvpn::interface_up(ifname, cmd.config_file, daemon)
                        : tvpn::interface_down(ifname, cmd.config_file, daemon);
    const std::string verb = up ? "up " : "down ";
    if (!out.error.empty()) {
        const bool undone = out.undid && out.problems.empty();
        std::fprintf(stderr, "vnddconfig: %s%s: %s%s\n", verb.c_str(), ifname.c_str(), out.error.c_str(),
                     undone ? " (nothing is left of the up)" : "");
    }
    for (const auto& p : out.problems)
        std::fprintf(stderr, "vnddconfig: %s%s: %s%s\n", verb.c_str(), ifname.c_str(), up ? "undoing: " : "", p.c_str());
    return out.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(tvpn::vnddconfig_usage(), stdout);
        return 0;
    }
    if (args.size() == 1 && args[0] == "--version") {
        std::printf("vnddconfig (TVPN) %s\n", tvpn::kTvpnVersion);
        return 0;
    }
    auto cmd = tvpn::parse_config_args(args);
    if (!cmd) {  // one line; the usage only on request
        std::fprintf(stderr, "vnddconfig: %s (vnddconfig --help shows the usage)\n", cmd.error().message.c_str());
        return 2;
    }
    if (cmd->verb == tvpn::ConfigVerb::Usage) {
        std::fputs(tvpn::vnddconfig_usage(), stdout);
        return args.empty() ? 0 : 2;
    }
    if (cmd->verb == tvpn::ConfigVerb::Genpsk) return run_genpsk();
    if (cmd->verb != tvpn::ConfigVerb::List && ::geteuid() != 0)
        return fail("must be run as root (CAP_NET_ADMIN is needed to manage interfaces)");
    if (cmd->verb == tvpn::ConfigVerb::Status) return run_status(*cmd);
    if (cmd->verb == tvpn::ConfigVerb::Show) return tvpn::run_show(*cmd);
    if (cmd->verb == tvpn::ConfigVerb::Up || cmd->verb == tvpn::ConfigVerb::Down) return run_up_down(*cmd);
    auto backend = cmd->verb == tvpn::ConfigVerb::Remove
                       ? tvpn::backend_for_interface(cmd->backend, cmd->spec.name)
                       : tvpn::open_backend(cmd->backend);
    if (!backend) return fail(backend.error().message);
    switch (cmd->verb) {
        case tvpn::ConfigVerb::Add:
            if (auto st = (*backend)->create(cmd->spec); !st) return fail(st.message());
            return 0;
        case tvpn::ConfigVerb::Remove:
            if (auto st = (*backend)->remove(cmd->spec.name); !st) return fail(st.message());
            return 0;
        case tvpn::ConfigVerb::List: return run_list(**backend);
        case tvpn::ConfigVerb::Status:
        case tvpn::ConfigVerb::Show:
        case tvpn::ConfigVerb::Up:
        case tvpn::ConfigVerb::Down:
        case tvpn::ConfigVerb::Genpsk:
        case tvpn::ConfigVerb::Usage: break;
    }
    return 0;
}
