// vnddvpnd's command line: one or more "-tunnel IF LOCAL_IP PORT REMOTE_IP PORT"
// groups, each optionally followed by its own -pwd (or -pwd-file), -cipher,
// -name and -keepalive, plus process options; or "-config FILE", whose peers
// become the same groups (vnddvpnd/config_options.h). Each group is one peer
// of IF; several groups naming one IF make it a switch joining all those peers.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/checked_file.h"
#include "common/crypto/secret.h"
#include "common/result.h"
#include "vnddvpnd/run_as.h"

namespace tvpn {

// Move-only (the password is a Secret): a vector of them moves on growth and
// never leaves a copy of a password behind in a freed buffer.
struct TunnelOptions {
    std::string ifname;
    std::string local_host, local_port;
    std::string remote_host, remote_port;
    crypto::Secret password;  // empty: clear text (and after wipe_passwords)
    bool has_password = false;
    // Where the password came from, for messages (never the password itself):
    // "-pwd KEY", "-pwd-file PATH" or "PasswordFile PATH".
    std::string password_source = "-pwd KEY";
    std::string password_file;  // -pwd-file PATH while parsing: read once -user is known
    std::string cipher;       // "" (SPAKE2 handshake + AEAD) or "des" (the original, insecure format)
    std::string name;         // -name: the tunnel's name, alike at both ends (default: ifname)
    unsigned keepalive = 0;   // -keepalive SECS (0: the protocol's default)
    bool remote_any() const { return remote_host == "any"; }
};

struct DaemonOptions {
    std::vector<TunnelOptions> tunnels;
    bool daemonize = false;
    bool verbose = false;
    bool weak_pwd_ok = false;  // -weak-pwd-ok: start with a -pwd password too weak for a year of guessing
    std::string backend;   // "", "tap", "vndd"
    std::string pidfile;   // overrides the default path (one interface only)
    unsigned rekey_seconds = 0;  // -rekey (tests): 0 is the protocol's default
    std::string config_file;     // -config FILE: the tunnels are still to be read from it
    bool pwd_on_command_line = false;  // a -pwd KEY was given: warn that others can read it
    std::string user;            // -user NAME (or the file's User=): "" for the default (vnddvpnd/run_as.h)
    std::optional<RunAs> run_as;  // `user` resolved, once the options are read
};

// `args`: argv without argv[0], as views, so that a -pwd value is copied only
// into its Secret (main() then overwrites argv).
Result<DaemonOptions> parse_daemon_args(std::span<const std::string_view> args);
// The checks every set of tunnels passes, from the command line or a file:
// peer names, what needs -pwd, -pidfile with one interface, -rekey and
// -weak-pwd-ok only with the handshake.
Status check_daemon_options(const DaemonOptions& opts);
// Who reads password files for `opts` (its run_as, resolved if need be):
// vnddvpnd's group after the drop may read them (tvpn.conf(5)).
Result<config::FileReader> password_reader(DaemonOptions& opts);
// Overwrites the passwords once the codecs have what they need.
void wipe_passwords(DaemonOptions& opts);
const char* vnddvpnd_usage();

}  // namespace tvpn
