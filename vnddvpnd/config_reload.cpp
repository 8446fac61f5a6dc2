#include "vnddvpnd/config_reload.h"

#include "common/config/config_file.h"
#include "common/crypto/hkdf.h"
#include "vnddvpnd/config_options.h"
#include "vnddvpnd/password_policy.h"
#include "vnddvpnd/reload_apply.h"

namespace tvpn {
ConfigReloader::ConfigReloader(const DaemonOptions& opts, crypto::Secret key)
    : path_(opts.config_file),
      rekey_seconds_(opts.rekey_seconds),
      weak_pwd_ok_(opts.weak_pwd_ok),
      digest_key_(std::move(key)) {}

Result<ConfigReloader> ConfigReloader::create(const DaemonOptions& opts, const config::TvpnConfig& config) {
    crypto::Secret key(crypto::kSha256Size);
    if (!crypto::random_bytes(key.span())) return Error{"cannot draw a random key (for reloads)"};
    ConfigReloader r(opts, std::move(key));
    auto snap = r.snapshot(config.interface, config, opts);
    if (!snap) return snap.error();
    r.running_ = std::move(*snap);
    return r;
}

Result<ConfigSnapshot> ConfigReloader::snapshot(const config::InterfaceConfig& interface,
                                                const config::TvpnConfig& config, const DaemonOptions& opts) const {
    ConfigSnapshot s{interface, {}};
    for (size_t i = 0; i < config.peers.size() && i < opts.tunnels.size(); ++i) {
        PeerSettings p{config.peers[i], {}};
        const TunnelOptions& t = opts.tunnels[i];
        if (t.has_password && !crypto::hmac_sha256(digest_key_.span(), t.password.span(), p.password))
            return Error{"cannot digest the password of peer " + p.config.name};
        s.peers.push_back(std::move(p));
    }
    return s;
}

// Every file a reload reads, read here: the configuration, then each peer's
// password file (tunnels_from_config), as they would be at start-up.
Result<ConfigReloader::FileRead> ConfigReloader::read_files() const {
    auto config = config::load_config(path_);
    if (!config) return config.error();
    config::TvpnConfig runnable = *config;
    runnable.interface = runnable_interface(running_.interface, config->interface);
    FileRead read{std::move(*config), {}};
    read.opts.config_file = path_;
    read.opts.rekey_seconds = rekey_seconds_;
    read.opts.weak_pwd_ok = weak_pwd_ok_;
    if (auto st = tunnels_from_config(runnable, path_, read.opts); !st) return Error{st.message()};
    return read;
}

// What start-up would refuse is refused here too.
Status ConfigReloader::check(FileRead& read, Logger& log) const {
    if (auto st = check_daemon_options(read.opts); !st) return st;
    auto warnings = check_passwords(read.opts);
    crypto::wipe_stack();  // zxcvbn's copies of the passwords
    if (!warnings) return warnings.error();
    for (const auto& w : *warnings) log.warning(w);
    return {};
}

void ConfigReloader::log_kept(const ReloadPlan& plan, Logger& log) const {
    const std::string& ifname = running_.interface.name;
    for (const auto& k : plan.kept)
        log.warning("reload of " + path_ + ": " + describe_kept(k) +
                    (k.interface_setup ? ": it is applied when the interface is set up; restart (systemctl restart "
                                         "vnddvpnd@" + ifname + ", or vnddconfig down/up " + ifname + ") for it"
                                       : ": it cannot change while vnddvpnd runs; restart vnddvpnd for it"));
}

bool ConfigReloader::reload(Datapath& datapath, Logger& log, const std::function<void()>& between_peers) {
    auto read = read_files();
    if (!read) {
        log.error("reload of " + path_ + " failed, nothing changed: " + read.error().message +
                  unprivileged_hint("the file and its PasswordFiles must be readable by that user"));
        return false;
    }
    if (auto st = check(*read, log); !st) {
        log.error("reload of " + path_ + " failed, nothing changed: " + st.message());
        return false;
    }
    auto in_file = snapshot(read->config.interface, read->config, read->opts);
    if (!in_file) {
        log.error("reload of " + path_ + " failed, nothing changed: " + in_file.error().message);
        return false;
    }
    const ReloadPlan plan = plan_reload(running_, *in_file);
    log_kept(plan, log);
    in_file->interface = runnable_interface(running_.interface, in_file->interface);
    const ReloadOutcome out =
        apply_reload(plan, *in_file, read->opts.tunnels, rekey_seconds_, running_, datapath, log, between_peers);
    wipe_passwords(read->opts);
    crypto::wipe_stack();  // the key derivations' frames
    log.info("reload of " + path_ + ": " + std::to_string(out.added) + " added, " + std::to_string(out.removed) +
             " removed, " + std::to_string(out.changed) + " changed, " + std::to_string(plan.unchanged.size()) +
             " unchanged" + (out.failed ? ", " + std::to_string(out.failed) + " failed (see above)" : ""));
    return plan.changes_peers();
}

}  // namespace tvpn
