#include "vnddvpnd/reload_plan.h"

#include <functional>
#include <optional>

namespace tvpn {
namespace {

using config::InterfaceConfig;
using config::PeerConfig;

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out.empty() ? "none" : out;
}

std::string addresses_text(const InterfaceConfig& c) {
    std::vector<std::string> texts;
    for (const auto& a : c.addresses) texts.push_back(a.text);
    return join(texts, ", ");
}

std::string or_none(const std::string& s) { return s.empty() ? "none" : s; }

std::string backend_text(const InterfaceConfig& c) {
    const auto name = config::backend_name(c.backend);
    return name.empty() ? "auto" : std::string(name);
}

std::string mac_text(const InterfaceConfig& c) { return c.mac ? format_mac(*c.mac) : "the kernel's"; }

// An [Interface] key the daemon cannot change while it runs: its text, and
// how to put the file's value in place of the running one.
struct FixedKey {
    const char* key;
    bool interface_setup;
    std::function<std::string(const InterfaceConfig&)> text;
    std::function<void(InterfaceConfig&, const InterfaceConfig&)> keep;
};

// Name, Backend, ListenAddress/Port and Cipher belong to the attached
// interface, its bound sockets and every peer's codec; the others are what
// vnddconfig up applies to the interface. Keepalive and PasswordFile are
// not here: they reach the daemon through each peer's settings.
const std::vector<FixedKey>& fixed_keys() {
    static const std::vector<FixedKey> keys = {
        {"Name", false, [](const InterfaceConfig& c) { return c.name; },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.name = from.name; }},
        {"Backend", false, backend_text,
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.backend = from.backend; }},
        {"ListenAddress", false, [](const InterfaceConfig& c) { return c.listen_address.empty() ? std::string("any") : c.listen_address; },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.listen_address = from.listen_address; }},
        {"ListenPort", false, [](const InterfaceConfig& c) { return std::to_string(c.listen_port); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.listen_port = from.listen_port; }},
        {"Cipher", false, [](const InterfaceConfig& c) { return c.cipher.empty() ? std::string("pwd") : c.cipher; },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.cipher = from.cipher; }},
        {"Address", true, addresses_text,
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.addresses = from.addresses; }},
        {"MTU", true, [](const InterfaceConfig& c) { return std::to_string(c.mtu); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.mtu = from.mtu; }},
        {"MAC", true, mac_text, [](InterfaceConfig& to, const InterfaceConfig& from) { to.mac = from.mac; }},
        {"Bridge", true, [](const InterfaceConfig& c) { return or_none(c.bridge); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.bridge = from.bridge; }},
        {"PreUp", true, [](const InterfaceConfig& c) { return join(c.hooks.pre_up, "; "); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.hooks.pre_up = from.hooks.pre_up; }},
        {"PostUp", true, [](const InterfaceConfig& c) { return join(c.hooks.post_up, "; "); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.hooks.post_up = from.hooks.post_up; }},
        {"PreDown", true, [](const InterfaceConfig& c) { return join(c.hooks.pre_down, "; "); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.hooks.pre_down = from.hooks.pre_down; }},
        {"PostDown", true, [](const InterfaceConfig& c) { return join(c.hooks.post_down, "; "); },
         [](InterfaceConfig& to, const InterfaceConfig& from) { to.hooks.post_down = from.hooks.post_down; }},
    };
    return keys;
}

// The keys of a [Peer] whose values differ (Name, what matches them, aside).
std::vector<std::string> peer_differences(const PeerSettings& a, const PeerSettings& b) {
    std::vector<std::string> keys;
    if (a.config.tunnel_name != b.config.tunnel_name) keys.push_back("TunnelName");
    if (!(a.config.endpoint == b.config.endpoint)) keys.push_back("Endpoint");
    if (a.config.password_file != b.config.password_file)
        keys.push_back("PasswordFile");
    else if (a.password != b.password)
        keys.push_back("PasswordFile (its password)");
    if (a.config.keepalive != b.config.keepalive) keys.push_back("Keepalive");
    return keys;
}

std::optional<size_t> find_by_name(const std::vector<PeerSettings>& peers, const std::string& name) {
    for (size_t i = 0; i < peers.size(); ++i)
        if (peers[i].config.name == name) return i;
    return std::nullopt;
}

}  // namespace

ReloadPlan plan_reload(const ConfigSnapshot& running, const ConfigSnapshot& file) {
    ReloadPlan plan;
    for (const auto& k : fixed_keys()) {
        std::string was = k.text(running.interface), now = k.text(file.interface);
        if (was != now) plan.kept.push_back({k.key, std::move(was), std::move(now), k.interface_setup});
    }
    for (size_t r = 0; r < running.peers.size(); ++r)
        if (!find_by_name(file.peers, running.peers[r].config.name)) plan.removed.push_back(r);
    for (size_t f = 0; f < file.peers.size(); ++f) {
        const auto r = find_by_name(running.peers, file.peers[f].config.name);
        if (!r) {
            plan.added.push_back(f);
            continue;
        }
        auto keys = peer_differences(running.peers[*r], file.peers[f]);
        if (keys.empty())
            plan.unchanged.emplace_back(*r, f);
        else
            plan.changed.push_back({*r, f, std::move(keys)});
    }
    return plan;
}

config::InterfaceConfig runnable_interface(const config::InterfaceConfig& running,
                                           const config::InterfaceConfig& file) {
    config::InterfaceConfig out = file;
    for (const auto& k : fixed_keys()) k.keep(out, running);
    return out;
}

std::string describe_kept(const KeptSetting& k) {
    return k.key + " stays " + k.running + " (the file says " + k.file + ")";
}

}  // namespace tvpn
