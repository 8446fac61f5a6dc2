// What a reload (SIGHUP) changes: the configuration the daemon runs against
// the one just read from its file, as a plan: peers to remove, to add and to
// replace (any setting of theirs changed), peers left alone (their sessions
// survive), and the [Interface] settings only a restart changes, which the
// daemon keeps. Peers are matched by Name. Pure: no files, no sockets.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/config/tvpn_config.h"

namespace tvpn {

// A keyed digest of a peer's password: whether the password in its file
// changed, without keeping the password. All zero: clear text.
using PasswordDigest = std::array<uint8_t, 32>;

struct PeerSettings {
    config::PeerConfig config;  // its own settings and those it takes from [Interface]
    PasswordDigest password{};
};

struct ConfigSnapshot {
    config::InterfaceConfig interface;
    std::vector<PeerSettings> peers;
};

struct PeerChange {
    size_t running;                 // index into the running snapshot's peers
    size_t file;                    // index into the file's
    std::vector<std::string> keys;  // what differs, by the file's key names
};

// An [Interface] setting the file changed that the running daemon keeps.
struct KeptSetting {
    std::string key;
    std::string running, file;  // the values as text
    // Applied when the interface is set up (vnddconfig up), not by the daemon.
    bool interface_setup = false;
};

struct ReloadPlan {
    std::vector<size_t> removed;  // running indices
    std::vector<size_t> added;    // file indices
    std::vector<PeerChange> changed;
    std::vector<std::pair<size_t, size_t>> unchanged;  // (running, file)
    std::vector<KeptSetting> kept;
    bool changes_peers() const { return !removed.empty() || !added.empty() || !changed.empty(); }
};

ReloadPlan plan_reload(const ConfigSnapshot& running, const ConfigSnapshot& file);

// The file's [Interface] as the daemon can run it: every setting a restart
// would change (plan.kept) as it runs now, the others as the file says.
config::InterfaceConfig runnable_interface(const config::InterfaceConfig& running,
                                           const config::InterfaceConfig& file);

// "ListenPort stays 33000 (the file says 33001)", one per kept setting.
std::string describe_kept(const KeptSetting& k);

}  // namespace tvpn
