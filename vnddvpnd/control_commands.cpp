#include "vnddvpnd/control_commands.h"

#include "common/control/stats_wire.h"
#include "common/device/netif_spec.h"
#include "vnddvpnd/console.h"
#include "vnddvpnd/stats_collect.h"

namespace tvpn {
namespace {

std::string not_served(const std::string& ifname) { return "error: this vnddvpnd does not serve " + ifname + "\n"; }

// "VERB" or "VERB IF": the interface asked for, "" for all; nullopt: another verb.
std::optional<std::string> argument_of(const std::string& command, const std::string& verb) {
    if (command == verb) return std::string();
    if (command.rfind(verb + " ", 0) != 0) return std::nullopt;
    return command.substr(verb.size() + 1, kMaxIfNameLen + 1);
}

}  // namespace

std::string answer_control(const Datapath& datapath, const std::string& command, uint64_t now_ns) {
    if (auto ifname = argument_of(command, "status")) {
        std::string out = format_status(datapath, now_ns, *ifname);
        return out.empty() && !ifname->empty() ? not_served(*ifname) : out;
    }
    if (auto ifname = argument_of(command, "stats")) {
        auto reports = collect_stats(datapath, now_ns, *ifname);
        return reports.empty() && !ifname->empty() ? not_served(*ifname) : write_stats(reports);
    }
    return "error: unknown command '" + command.substr(0, 32) + "' (known: status, stats)\n";
}

}  // namespace tvpn
