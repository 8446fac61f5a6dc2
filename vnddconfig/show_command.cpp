#include "vnddconfig/show_command.h"

#include <time.h>

#include <cstdio>

#include "common/control/control_socket.h"
#include "common/control/runtime_paths.h"
#include "common/control/stats_wire.h"
#include "vnddconfig/show_json.h"
#include "vnddconfig/show_prometheus.h"
#include "vnddconfig/show_text.h"

namespace tvpn {
namespace {

struct Answer {
    std::optional<InterfaceReport> report;
    std::string problem;
    bool malformed = false;  // a daemon answered, but not with a report of `ifname`
};

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, std::min(text.find('\n'), size_t{200}));
    return line;
}

Answer ask(const std::string& socket, const std::string& ifname) {
    auto reply = control_request(socket, "stats " + ifname, kMaxStatsReply);
    if (!reply) return {std::nullopt, reply.error().message, false};
    // A refusal ("does not serve IF": a -pidfile of another name there) is no report, but no fault either.
    if (reply->rfind("error: ", 0) == 0) return {std::nullopt, "vnddvpnd at " + socket + ": " + first_line(reply->substr(7)), false};
    auto parsed = parse_stats(*reply);
    if (!parsed) return {std::nullopt, "vnddvpnd at " + socket + ": " + parsed.error().message, true};
    if (parsed->size() != 1 || (*parsed)[0].name != ifname)
        return {std::nullopt, "vnddvpnd at " + socket + " reported on other interfaces than " + ifname, true};
    return {std::move((*parsed)[0]), {}, false};
}

uint64_t unix_now_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

std::string render(const std::vector<ShownInterface>& shown, ShowFormat format) {
    switch (format) {
        case ShowFormat::Json: return show_json(shown);
        case ShowFormat::Prometheus: return show_prometheus(shown, unix_now_ms());
        case ShowFormat::Text: break;
    }
    return show_text(shown);
}

}  // namespace

int run_show(const ConfigCommand& cmd) {
    std::vector<ShownInterface> shown;
    int status = 0;
    if (!cmd.spec.name.empty()) {
        Answer a = ask(status_socket_path(cmd), cmd.spec.name);
        if (!a.report) {
            std::fprintf(stderr, "vnddconfig: no report for %s: %s\n", cmd.spec.name.c_str(), a.problem.c_str());
            return 1;
        }
        shown.push_back({cmd.spec.name, std::move(a.report), {}});
    } else {
        for (const auto& name : runtime_interfaces()) {
            if (check_ifname(name)) continue;  // not a file of ours
            Answer a = ask(control_socket_path(default_pidfile(name)), name);
            if (a.malformed) {
                std::fprintf(stderr, "vnddconfig: %s: %s\n", name.c_str(), a.problem.c_str());
                status = 1;
            }
            shown.push_back({name, std::move(a.report), a.problem});
        }
    }
    const std::string out = render(shown, cmd.format);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? status : 1;
}

}  // namespace tvpn
