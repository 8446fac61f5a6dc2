// vnddvpnd -config FILE on SIGHUP (systemctl reload): FILE and its
// PasswordFiles read again, compared with what runs (vnddvpnd/reload_plan.h)
// and applied (vnddvpnd/reload_apply.h). A file that does not read or parse,
// or whose tunnels vnddvpnd would refuse at start-up, changes nothing: one
// log line names file, line and key. The daemon may run unprivileged by
// then: every file is read in one place (read_files), whose failure, EACCES
// included, is logged as such.
#pragma once

#include <functional>
#include <string>

#include "common/config/tvpn_config.h"
#include "common/crypto/secret.h"
#include "common/datapath/datapath.h"
#include "common/log.h"
#include "vnddvpnd/options.h"
#include "vnddvpnd/reload_plan.h"

namespace tvpn {

class ConfigReloader {
public:
    // `opts`: the daemon's, its tunnels read from `config` (opts.config_file)
    // with their passwords, which must not be wiped yet: their digests are kept.
    static Result<ConfigReloader> create(const DaemonOptions& opts, const config::TvpnConfig& config);

    // Re-reads the file and applies it; true when peers came, went or were
    // replaced (whoever holds peer indices must look afresh).
    // `between_peers`: see apply_reload.
    bool reload(Datapath& datapath, Logger& log, const std::function<void()>& between_peers = [] {});

    const ConfigSnapshot& running() const { return running_; }

private:
    struct FileRead {
        config::TvpnConfig config;  // as the file says
        DaemonOptions opts;         // its tunnels, with what a restart changes as it runs now
    };
    ConfigReloader(const DaemonOptions& opts, crypto::Secret key);
    Result<FileRead> read_files() const;
    Status check(FileRead& read, Logger& log) const;
    Result<ConfigSnapshot> snapshot(const config::InterfaceConfig& interface, const config::TvpnConfig& config,
                                    const DaemonOptions& opts) const;
    void log_kept(const ReloadPlan& plan, Logger& log) const;

    std::string path_;
    unsigned rekey_seconds_;
    bool weak_pwd_ok_;
    crypto::Secret digest_key_;  // random, per process: the digests say nothing outside it
    ConfigSnapshot running_;
};

}  // namespace tvpn
