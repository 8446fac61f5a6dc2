#include "vnddconfig/up_down.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "common/device/backend_select.h"
#include "common/config/config_file.h"
#include "common/control/runtime_paths.h"
#include "vnddconfig/daemon_control.h"
#include "vnddconfig/hooks.h"
#include "vnddconfig/rtnetlink.h"
#include "vnddconfig/up_record.h"

namespace tvpn {
namespace {

// The file's absolute, symlink-free path: the daemon (which changes to /)
// and a later down read the same file.
Result<std::string> canonical_path(const std::string& path) {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved) return Error{errno_message("configuration file " + path, errno)};
    std::string out(resolved);
    ::free(resolved);
    if (out.find('\n') != std::string::npos) return Error{"configuration file " + path + ": its path has a newline"};
    return out;
}

// The file at `path`, which must configure `ifname`.
Result<config::TvpnConfig> load_for(const std::string& ifname, const std::string& path) {
    auto c = config::load_config(path);
    if (!c) return c.error();
    if (c->interface.name != ifname)
        return Error{path + " configures interface " + c->interface.name + ", not " + ifname};
    return c;
}

// What up needs before it may change anything; each check that can fail
// without a change is made here.
struct UpPlan {
    config::TvpnConfig config;
    std::string config_path;
    std::string daemon;
    std::unique_ptr<Backend> backend;
    std::optional<Rtnetlink> netlink;
    bool no_daemon = false;  // -no-daemon: `daemon` is not needed
};

Result<UpPlan> plan_up(const std::string& ifname, const std::string& config_file, UpDaemon daemon_by) {
    UpPlan plan;
    plan.no_daemon = daemon_by == UpDaemon::External;
    auto path = canonical_path(config_file.empty() ? default_config_path(ifname) : config_file);
    if (!path) return path.error();
    plan.config_path = *path;
    auto config = load_for(ifname, plan.config_path);
    if (!config) return config.error();
    plan.config = std::move(*config);
    if (interface_index(ifname)) return Error{"interface " + ifname + " already exists ('vnddconfig remove " + ifname + "' first, or pick another Name)"};
    const std::string& bridge = plan.config.interface.bridge;
    if (!bridge.empty() && interface_index(bridge) && !is_bridge(bridge))
        return Error{"Bridge " + bridge + " exists and is not a bridge"};
    auto backend = open_backend(config::backend_name(plan.config.interface.backend));
    if (!backend) return backend.error();
    plan.backend = std::move(*backend);
    if (!plan.no_daemon) {
        auto daemon = vnddvpnd_beside_us();
        if (!daemon) return daemon.error();
        plan.daemon = *daemon;
    }
    auto netlink = Rtnetlink::open();
    if (!netlink) return netlink.error();
    plan.netlink.emplace(std::move(*netlink));
    return plan;
}

Status join_bridge(const std::string& ifname, const std::string& bridge, UpRecordWriter& record, Rtnetlink& nl) {
    if (bridge.empty()) return {};
    if (!interface_index(bridge)) {
        if (auto st = record.bridge(bridge); !st) return st;
        if (auto st = nl.add_bridge(bridge); !st) return st;
        if (auto st = nl.set_up(bridge); !st) return st;
    }
    return nl.set_master(ifname, bridge);
}

Status up_steps(const std::string& ifname, UpPlan& plan, UpRecordWriter& record) {
    const auto& i = plan.config.interface;
    Rtnetlink& nl = *plan.netlink;
    if (auto st = record.pre_up(); !st) return st;
    if (auto st = run_hooks_until_failure(i.hooks.pre_up, ifname, "PreUp"); !st) return st;
    if (auto st = record.interface(); !st) return st;
    InterfaceSpec spec;
    spec.name = ifname;
    spec.mtu = static_cast<int>(i.mtu);
    spec.mac = i.mac;
    if (auto st = plan.backend->create(spec); !st) return st;
    for (const auto& address : i.addresses)
        if (auto st = nl.add_address(ifname, address); !st) return st;
    if (auto st = join_bridge(ifname, i.bridge, record, nl); !st) return st;
    if (auto st = nl.set_up(ifname); !st) return st;
    if (!plan.no_daemon) {
        if (auto st = record.daemon(default_pidfile(ifname)); !st) return st;
        if (auto st = start_daemon(plan.daemon, plan.config_path); !st) return st;
    }
    if (auto st = record.post_up(); !st) return st;
    return run_hooks_until_failure(i.hooks.post_up, ifname, "PostUp");
}

Status remove_interface(const std::string& ifname) {
    auto backend = backend_for_interface("", ifname);
    if (!backend) return Error{backend.error().message};
    return (*backend)->remove(ifname);
}

Status remove_bridge(const std::string& bridge) {
    if (!is_bridge(bridge)) return Error{"not deleting " + bridge + ": it is no longer a bridge"};
    auto nl = Rtnetlink::open();
    if (!nl) return Error{nl.error().message};
    return nl->delete_link(bridge);
}

// Undoes the steps of `r`, each whether or not it was finished; `hooks` null
// when the file could not be read. What failed goes to `problems`; the
// result is false when something that a second down could still remove is left.
bool undo_up(const std::string& ifname, const UpRecord& r, const config::Hooks* hooks, std::vector<std::string>& problems) {
    auto note = [&](std::vector<std::string> more) { problems.insert(problems.end(), more.begin(), more.end()); };
    bool clean = true;
    if (r.post_up && hooks) note(run_every_hook(hooks->pre_down, ifname, "PreDown"));
    if (!r.pidfile.empty())
        if (auto st = stop_daemon(r.pidfile); !st) {
            problems.push_back(st.message());
            clean = false;
        }
    if (r.no_daemon) remove_stale_daemon_files(default_pidfile(ifname));
    if (!r.bridge.empty() && interface_index(r.bridge))
        if (auto st = remove_bridge(r.bridge); !st) problems.push_back(st.message());
    if (r.interface && interface_index(ifname))
        if (auto st = remove_interface(ifname); !st) {
            problems.push_back(st.message());
            clean = false;
        }
    if (r.pre_up && hooks) note(run_every_hook(hooks->post_down, ifname, "PostDown"));
    return clean;
}

// Undoes the record at `path` and removes it unless something is left.
void undo_record(const std::string& ifname, const std::string& path, const UpRecord& r, const config::Hooks* hooks,
                 std::vector<std::string>& problems) {
    if (undo_up(ifname, r, hooks, problems)) ::unlink(path.c_str());
    else problems.push_back("kept " + path + ": 'vnddconfig down " + ifname + "' tries again");
}

// Down undoes only the record of its own kind of up: a service's stop step
// (-no-daemon) leaves an interface `vnddconfig up` set up alone, and a plain
// down does not pull the interface from under a service's daemon.
std::optional<std::string> check_record_kind(const std::string& ifname, const UpRecord& r, bool no_daemon) {
    if (r.no_daemon == no_daemon) return std::nullopt;
    if (r.no_daemon)
        return ifname + " was set up by 'vnddconfig up " + ifname + " -no-daemon' (vnddvpnd@" + ifname +
               ".service, say), whose daemon is not vnddconfig's to stop: stop that service, or '" +
               down_command(ifname, true) + "'";
    return ifname + " was set up by 'vnddconfig up " + ifname + "', which also started its daemon: '" +
           down_command(ifname, false) + "'";
}

}  // namespace

std::string default_config_path(const std::string& ifname) { return std::string(kConfigDir) + "/" + ifname + ".conf"; }

UpDownOutcome interface_up(const std::string& ifname, const std::string& config_file, UpDaemon daemon) {
    UpDownOutcome out;
    auto plan = plan_up(ifname, config_file, daemon);
    if (!plan) return {plan.error().message, {}};
    const std::string path = up_record_path(ifname);
    auto record = UpRecordWriter::create(path, ifname, plan->config_path, plan->no_daemon);
    if (!record) return {record.error().message, {}};
    auto st = up_steps(ifname, *plan, *record);
    if (st) return out;
    out.error = st.message();
    out.undid = true;
    auto taken = read_up_record(path, ifname);
    if (!taken) {
        out.problems.push_back(taken.error().message);
        return out;
    }
    undo_record(ifname, path, *taken, &plan->config.interface.hooks, out.problems);
    return out;
}

UpDownOutcome interface_down(const std::string& ifname, const std::string& config_file, UpDaemon daemon) {
    UpDownOutcome out;
    const std::string path = up_record_path(ifname);
    const bool no_daemon = daemon == UpDaemon::External;
    if (no_daemon && ::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return out;  // nothing was set up
    auto record = read_up_record(path, ifname);
    if (!record) return {record.error().message, {}};
    if (auto mismatch = check_record_kind(ifname, *record, no_daemon)) return {*mismatch, {}};
    std::optional<config::TvpnConfig> config;
    auto loaded = load_for(ifname, config_file.empty() ? record->config_path : config_file);
    if (loaded) config = std::move(*loaded);
    else out.problems.push_back("PreDown and PostDown not run: " + loaded.error().message);
    undo_record(ifname, path, *record, config ? &config->interface.hooks : nullptr, out.problems);
    return out;
}

}  // namespace tvpn
