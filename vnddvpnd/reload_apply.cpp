#include "vnddvpnd/reload_apply.h"

#include <unistd.h>

#include <map>

#include "vnddvpnd/tunnel_setup.h"

namespace tvpn {
namespace {

constexpr std::string_view kBindNeeds = "a new socket on a port below 1024 needs a restart";

struct Step {
    Logger& log;
    Datapath& dp;
    size_t interface;
    const std::string& ifname;

    std::string who(const PeerSettings& p) const { return "reload: interface " + ifname + " peer " + p.config.name; }

    std::optional<size_t> find(const PeerSettings& p) const { return dp.find_peer(ifname, p.config.tunnel_name); }

    void remove(const PeerSettings& p) {
        if (auto i = find(p)) dp.remove_peer(*i);  // its sessions, fragments and timers go with it
        log.info(who(p) + " removed");
    }

    // Replaces the running peer; on failure the old one goes back, session and all.
    bool replace(const PeerSettings& old, std::unique_ptr<Peer> fresh, const std::string& keys) {
        const auto i = find(old);
        if (!i) return false;
        std::unique_ptr<Peer> previous = dp.remove_peer(*i);
        if (auto st = dp.add_peer(interface, std::move(fresh)); !st) {
            log.error(who(old) + ": " + keys + " not changed: " + st.message() + unprivileged_hint(kBindNeeds));
            if (auto back = dp.add_peer(interface, std::move(previous)); !back)
                log.error(who(old) + ": lost: " + back.message());
            return false;
        }
        log.info(who(old) + ": " + keys + " changed: new session (a new handshake)");
        return true;
    }

    bool add(const PeerSettings& p, std::unique_ptr<Peer> fresh) {
        if (auto st = dp.add_peer(interface, std::move(fresh)); !st) {
            log.error(who(p) + " not added: " + st.message() + unprivileged_hint(kBindNeeds));
            return false;
        }
        log.info(who(p) + " added (" + p.config.endpoint.text() + ")");
        return true;
    }
};

std::string join_keys(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
    return out;
}

}  // namespace

std::string unprivileged_hint(std::string_view needs) {
    if (::geteuid() == 0) return "";
    return " (vnddvpnd runs as uid " + std::to_string(::geteuid()) + " since set-up: " + std::string(needs) + ")";
}

ReloadOutcome apply_reload(const ReloadPlan& plan, const ConfigSnapshot& file, std::span<const TunnelOptions> tunnels,
                           unsigned rekey_seconds, ConfigSnapshot& running, Datapath& datapath, Logger& log,
                           const std::function<void()>& between_peers) {
    ReloadOutcome out;
    const std::string ifname = running.interface.name;
    const auto interface = datapath.find_interface(ifname);
    if (!interface) {
        log.error("reload: interface " + ifname + " is not served; nothing changed");
        out.failed = plan.added.size() + plan.changed.size() + plan.removed.size();
        return out;
    }
    Step step{log, datapath, *interface, ifname};
    // New peers first (resolving, deriving keys): what cannot be made is not started.
    std::map<size_t, std::unique_ptr<Peer>> fresh;  // by file index
    auto make = [&](size_t f) {
        auto peer = make_peer(tunnels[f], rekey_seconds, log);
        if (peer) fresh.emplace(f, std::move(*peer));
        else log.error(step.who(file.peers[f]) + ": " + peer.error().message);
        between_peers();
    };
    for (const auto& c : plan.changed) make(c.file);
    for (size_t f : plan.added) make(f);

    for (size_t r : plan.removed) {
        step.remove(running.peers[r]);
        ++out.removed;
    }
    std::vector<PeerSettings> now_running;
    std::map<size_t, const PeerSettings*> runs;  // by file index: what runs for it
    for (const auto& [r, f] : plan.unchanged) runs[f] = &running.peers[r];
    for (const auto& c : plan.changed) {
        auto it = fresh.find(c.file);
        const bool ok = it != fresh.end() && step.replace(running.peers[c.running], std::move(it->second), join_keys(c.keys));
        runs[c.file] = ok ? &file.peers[c.file] : &running.peers[c.running];
        ++(ok ? out.changed : out.failed);
    }
    for (size_t f : plan.added) {
        auto it = fresh.find(f);
        const bool ok = it != fresh.end() && step.add(file.peers[f], std::move(it->second));
        if (ok) runs[f] = &file.peers[f];
        ++(ok ? out.added : out.failed);
    }
    for (const auto& [f, settings] : runs) now_running.push_back(*settings);
    running.peers = std::move(now_running);
    running.interface = file.interface;  // as runnable_interface made it: what a restart changes stays
    return out;
}

}  // namespace tvpn
