#include "vnddvpnd/options.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <optional>

#include "common/config/password_file.h"
#include "common/crypto/secret.h"
#include "common/endpoint.h"
#include "common/device/netif_spec.h"
#include "common/control/runtime_paths.h"

namespace tvpn {

const char* vnddvpnd_usage() {
    return "usage: vnddvpnd -tunnel IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT\n"
           "                [-pwd KEY | -pwd-file PATH [-cipher des]] [-name NAME] [-keepalive SECS]\n"
           "                [-tunnel ...] [-weak-pwd-ok] [-rekey SECS]\n"
           "                [-daemonize] [-backend tap|vndd] [-pidfile PATH] [-user NAME] [-v]\n"
           "       vnddvpnd -config FILE [-weak-pwd-ok] [-rekey SECS] [-daemonize] [-pidfile PATH]\n"
           "                [-user NAME] [-v]\n"
           "  -tunnel     tunnel the frames of interface IF (made with 'vnddconfig add IF')\n"
           "              over UDP from LOCAL_IP:LOCAL_PORT to REMOTE_IP:REMOTE_PORT;\n"
           "              addresses may be IPv4, IPv6 or host names; each group is one peer;\n"
           "              several groups naming one IF join all their peers in one Ethernet\n"
           "              (a switch: a hub); groups may share LOCAL_IP:LOCAL_PORT;\n"
           "              REMOTE_IP 'any' with REMOTE_PORT 0: a peer whose address is learnt\n"
           "              from its first authenticated handshake (behind NAT, roaming; needs -pwd);\n"
           "              LOCAL_PORT 0: any port (a host that only initiates)\n"
           "  -pwd KEY    encrypt the preceding tunnel with KEY (same on both hosts);\n"
           "              before any -tunnel it applies to every tunnel; a password-authenticated\n"
           "              handshake (SPAKE2) gives fresh keys; frames are sealed with AES-256-GCM;\n"
           "              KEY must be strong enough for a year of online guessing (zxcvbn's\n"
           "              estimate of at least 37 bits, e.g. four random words); other local\n"
           "              users can read a command line: vnddvpnd warns, prefer -pwd-file\n"
           "  -pwd-file PATH\n"
           "              as -pwd, with the password read from PATH (one line; refused when\n"
           "              group or others may read or write the file: chmod 600 PATH; only\n"
           "              the group of the -user may read it: root:tvpn 0640)\n"
           "  -cipher des talk to an original TVPN host: its DES-ECB format (INSECURE: no\n"
           "              integrity, no replay protection; only during a migration); placed\n"
           "              like -pwd; its KEY can be recovered from captured traffic: treat it as\n"
           "              public, it is refused as the KEY of a -pwd tunnel too\n"
           "  -name NAME  the tunnel's name, the same at both ends (default: IF); a hub tells\n"
           "              its 'any' peers apart by name\n"
           "  -keepalive SECS\n"
           "              send an authenticated keepalive after SECS seconds without traffic\n"
           "              (default 10 with -pwd); after a group for that peer, before all for every one\n"
           "  -config FILE\n"
           "              the tunnels of a tvpn.conf(5) file such as /etc/tvpn/IF.conf: its\n"
           "              [Peer] sections are the -tunnel groups of its interface (which\n"
           "              'vnddconfig up IF' creates); not with -tunnel, -pwd, -pwd-file,\n"
           "              -cipher, -name, -keepalive or -backend; SIGHUP (systemctl reload)\n"
           "              reads it again: its peers' changes take effect, the others keep their sessions\n"
           "  -weak-pwd-ok\n"
           "              start even when a -pwd KEY is weaker than that (logs a warning)\n"
           "  -rekey SECS for tests: new session keys every SECS seconds (default 120);\n"
           "              needs -pwd (not with -cipher des alone)\n"
           "  -daemonize  run in the background, log to syslog (to stderr without /dev/log),\n"
           "              write a pidfile in /run/vnddvpnd\n"
           "  -backend    force the device backend (default: vndd if /dev/vnddmgr exists, else tap)\n"
           "  -pidfile    pidfile path (only with a single interface); the control socket goes\n"
           "              beside it: ask with 'vnddconfig status IF -pidfile PATH'\n"
           "  -user NAME  the user to run as once the interfaces are attached (default:\n"
           "              tvpn when started as root and it exists); in any case every\n"
           "              capability is dropped and a system call filter (seccomp) applied\n"
           "  -v          verbose logging: also handshakes, endpoint moves, path MTU changes\n"
           "              and drops by reason (rate-limited)\n"
           "In the foreground on a terminal, type 'help' for the console commands.\n"
           "vnddvpnd --help prints this text, vnddvpnd --version the version.\n";
}

namespace {

std::string text(std::string_view v) { return std::string(v); }

// Consumes "IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT" after -tunnel.
Result<TunnelOptions> parse_tunnel_group(std::span<const std::string_view> args, size_t& i) {
    if (i + 5 > args.size())
        return Error{"-tunnel needs 5 arguments: IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT"};
    for (size_t k = i; k < i + 5; ++k)
        if (!args[k].empty() && args[k][0] == '-' && args[k].size() > 1 && !std::isdigit(args[k][1]))
            return Error{"-tunnel needs 5 arguments, but '" + text(args[k]) + "' looks like an option"};
    TunnelOptions t;
    t.ifname = args[i];
    t.local_host = args[i + 1];
    t.local_port = args[i + 2];
    t.remote_host = args[i + 3];
    t.remote_port = args[i + 4];
    i += 5;
    if (auto err = check_ifname(t.ifname)) return *err;
    if (t.local_port != "0")
        if (auto p = parse_port(t.local_port); !p) return p.error();
    if (t.remote_any()) {
        if (t.remote_port != "0") return Error{"-tunnel " + t.ifname + ": REMOTE_IP any goes with REMOTE_PORT 0"};
        if (t.local_port == "0")
            return Error{"-tunnel " + t.ifname + ": a peer at 'any' address must reach us at a fixed LOCAL_PORT"};
    } else if (auto p = parse_port(t.remote_port); !p) {
        return p.error();
    }
    if (t.local_host.empty() || t.remote_host.empty()) return Error{"empty address in -tunnel"};
    return t;
}

// Peers of one interface need names of their own; a peer at an unknown
// address needs the handshake (only it can prove where a datagram came from).
Status check_tunnels(const DaemonOptions& opts) {
    if (opts.tunnels.empty()) return Error{"no -tunnel given (or -config FILE)"};
    for (const auto& t : opts.tunnels) {
        if (t.remote_any() && (!t.has_password || !t.cipher.empty()))
            return Error{"-tunnel " + t.ifname + " any: a peer at an unknown address needs -pwd (without -cipher)"};
        if (t.keepalive && (!t.has_password || !t.cipher.empty()))
            return Error{"-keepalive needs -pwd (tunnel " + t.ifname + "): clear and DES frames cannot be keepalives"};
    }
    for (size_t a = 0; a < opts.tunnels.size(); ++a)
        for (size_t b = a + 1; b < opts.tunnels.size(); ++b)
            if (opts.tunnels[a].ifname == opts.tunnels[b].ifname && opts.tunnels[a].name == opts.tunnels[b].name)
                return Error{"interface " + opts.tunnels[a].ifname + " has two peers named '" + opts.tunnels[a].name +
                             "': give each -tunnel group of one interface its own -name"};
    if (!opts.pidfile.empty())
        for (const auto& t : opts.tunnels)
            if (t.ifname != opts.tunnels[0].ifname) return Error{"-pidfile needs exactly one interface"};
    return {};
}

// A name as both ends write it: letters, digits, '.', '_', '-', up to 32.
Status check_name(std::string_view name) {
    if (name.empty() || name.size() > 32) return Error{"-name needs 1 to 32 characters"};
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            return Error{"-name '" + text(name) + "': only letters, digits, '.', '_' and '-'"};
    return {};
}

Result<unsigned> parse_seconds(std::string_view v, const char* option, unsigned max) {
    const std::string s(v);
    char* end = nullptr;
    const unsigned long secs = std::strtoul(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || secs < 1 || secs > max)
        return Error{std::string(option) + " needs a number of seconds from 1 to " + std::to_string(max)};
    return static_cast<unsigned>(secs);
}

bool any_handshake(const DaemonOptions& opts) {
    for (const auto& t : opts.tunnels)
        if (t.has_password && t.cipher.empty()) return true;
    return false;
}

bool any_password(const DaemonOptions& opts) {
    for (const auto& t : opts.tunnels)
        if (t.has_password) return true;
    return false;
}

// -rekey and -weak-pwd-ok are process-wide but only mean something to tunnels
// with -pwd and the SPAKE2 handshake (not -cipher des): a mistake otherwise, said so.
Status check_handshake_options(const DaemonOptions& opts) {
    if (any_handshake(opts)) return {};
    const bool des = any_password(opts);
    if (opts.rekey_seconds)
        return Error{des ? "-rekey does nothing with -cipher des: the original format has no session keys to renew"
                         : "-rekey needs -pwd: without a password no tunnel has keys to renew"};
    if (opts.weak_pwd_ok)
        return Error{des ? "-weak-pwd-ok does nothing with -cipher des: a DES password is public anyway"
                         : "-weak-pwd-ok needs -pwd: without a password there is none to judge"};
    return {};
}

// What -pwd and -cipher before any -tunnel give every tunnel without its own.
struct Defaults {
    crypto::Secret password;
    bool has_password = false;
    std::string password_source;
    std::string password_file;
    std::string cipher;
    unsigned keepalive = 0;
};

// The command line as it is read: the options and the defaults so far, and
// the first option that sets up tunnels (which -config cannot be mixed with).
struct ParseState {
    DaemonOptions opts;
    Defaults defaults;
    std::string tunnel_option;
};

// `file`: the -pwd-file PATH to read once the whole command line is known
// (load_password_files), else "" and `password` is the -pwd KEY.
Status take_password(crypto::Secret password, const std::string& source, const std::string& file, ParseState& st) {
    const std::string option = source.substr(0, source.find(' '));
    if (st.opts.tunnels.empty()) {
        if (st.defaults.has_password) return Error{option + " given after another password before the first -tunnel"};
        st.defaults.password = std::move(password);
        st.defaults.has_password = true;
        st.defaults.password_source = source;
        st.defaults.password_file = file;
        return {};
    }
    TunnelOptions& t = st.opts.tunnels.back();
    if (t.has_password) return Error{option + " given after another password for tunnel " + t.ifname};
    t.password = std::move(password);
    t.has_password = true;
    t.password_source = source;
    t.password_file = file;
    return {};
}

// Reads each -pwd-file, now that -user (whose group may read it) is known.
Status load_password_files(DaemonOptions& opts) {
    auto reader = password_reader(opts);
    if (!reader) return reader.error();
    for (auto& t : opts.tunnels) {
        if (t.password_file.empty()) continue;
        auto password = config::load_password_file(t.password_file, *reader);
        if (!password) return Error{"-pwd-file: " + password.error().message};
        t.password = std::move(*password);
        t.password_file.clear();
    }
    return {};
}

Status apply_defaults(DaemonOptions& opts, const Defaults& defaults) {
    for (auto& t : opts.tunnels) {
        if (defaults.has_password && !t.has_password) {
            t.password = crypto::Secret(defaults.password.span());
            t.has_password = true;
            t.password_source = defaults.password_source;
            t.password_file = defaults.password_file;
        }
        if (t.cipher.empty()) t.cipher = defaults.cipher;
        if (!t.keepalive) t.keepalive = defaults.keepalive;
        if (t.name.empty()) t.name = t.ifname;
        if (!t.cipher.empty() && !t.has_password)
            return Error{"-cipher " + t.cipher + " needs -pwd (tunnel " + t.ifname + ")"};
    }
    return {};
}

Result<unsigned> parse_rekey(std::string_view v) { return parse_seconds(v, "-rekey", 86400); }

bool is_tunnel_option(std::string_view opt) {
    for (std::string_view o : {"-tunnel", "-pwd", "-pwd-file", "-cipher", "-name", "-keepalive", "-backend"})
        if (opt == o) return true;
    return false;
}

// The options of a -tunnel group (or, before the first, of every group) that
// take a value; false when `opt` is none of them.
std::optional<Status> tunnel_value_option(const std::string& opt, std::string_view v, ParseState& st) {
    auto& tunnels = st.opts.tunnels;
    if (opt == "-pwd") {
        if (v.empty()) return Error{"-pwd needs a non-empty KEY"};
        st.opts.pwd_on_command_line = true;
        return take_password(crypto::Secret::from_string(v), "-pwd KEY", "", st);
    }
    if (opt == "-pwd-file") {
        if (v.empty()) return Error{"-pwd-file needs a PATH"};
        return take_password(crypto::Secret{}, "-pwd-file " + std::string(v), std::string(v), st);
    }
    if (opt == "-cipher") {
        if (v != "des") return Error{"unknown cipher '" + text(v) + "' (the only one to choose is des)"};
        (tunnels.empty() ? st.defaults.cipher : tunnels.back().cipher) = v;
        return Status{};
    }
    if (opt == "-name") {
        if (auto bad = check_name(v); !bad) return bad;
        if (tunnels.empty()) return Error{"-name goes after the -tunnel group it names"};
        if (!tunnels.back().name.empty()) return Error{"-name given twice for tunnel " + tunnels.back().ifname};
        tunnels.back().name = v;
        return Status{};
    }
    if (opt == "-keepalive") {
        auto secs = parse_seconds(v, "-keepalive", 3600);
        if (!secs) return secs.error();
        (tunnels.empty() ? st.defaults.keepalive : tunnels.back().keepalive) = *secs;
        return Status{};
    }
    return std::nullopt;
}

// The process-wide options that take a value; false when `opt` is none of them.
std::optional<Status> process_value_option(const std::string& opt, std::string_view v, DaemonOptions& opts) {
    if (opt == "-rekey") {
        auto secs = parse_rekey(v);
        if (!secs) return secs.error();
        opts.rekey_seconds = *secs;
    } else if (opt == "-backend") {
        if (v != "tap" && v != "vndd") return Error{"unknown backend '" + text(v) + "' (expected tap or vndd)"};
        opts.backend = v;
    } else if (opt == "-pidfile") {
        opts.pidfile = v;
        if (auto err = check_pidfile_path(opts.pidfile)) return *err;
    } else if (opt == "-user") {
        if (!opts.user.empty()) return Error{"-user given twice"};
        if (v.empty()) return Error{"-user needs a NAME"};
        opts.user = v;
    } else if (opt == "-config") {
        if (!opts.config_file.empty()) return Error{"-config given twice"};
        if (v.empty()) return Error{"-config needs a FILE"};
        opts.config_file = v;
    } else {
        return std::nullopt;
    }
    return Status{};
}

bool process_flag(std::string_view opt, DaemonOptions& opts) {
    if (opt == "-weak-pwd-ok") opts.weak_pwd_ok = true;
    else if (opt == "-daemonize") opts.daemonize = true;
    else if (opt == "-v") opts.verbose = true;
    else return false;
    return true;
}

// What a value option expects, for "missing VALUE after -opt".
const char* value_name(std::string_view opt) {
    if (opt == "-pwd") return "KEY";
    if (opt == "-cipher") return "des";
    if (opt == "-name" || opt == "-user") return "NAME";
    if (opt == "-keepalive" || opt == "-rekey") return "SECONDS";
    if (opt == "-backend") return "tap|vndd";
    if (opt == "-config") return "FILE";
    return "PATH";  // -pwd-file, -pidfile
}

Status parse_one(std::span<const std::string_view> args, size_t& i, ParseState& st) {
    const std::string opt(args[i++]);
    if (is_tunnel_option(opt) && st.tunnel_option.empty()) st.tunnel_option = opt;
    if (opt == "-tunnel") {
        auto t = parse_tunnel_group(args, i);
        if (!t) return t.error();
        st.opts.tunnels.push_back(std::move(*t));
        return {};
    }
    if (process_flag(opt, st.opts)) return {};
    const bool takes_value = opt == "-pwd" || opt == "-pwd-file" || opt == "-cipher" || opt == "-name" ||
                             opt == "-keepalive" || opt == "-rekey" || opt == "-backend" || opt == "-pidfile" ||
                             opt == "-config" || opt == "-user";
    if (!takes_value) return Error{"unknown option '" + opt + "'"};
    if (i >= args.size()) return Error{"missing " + std::string(value_name(opt)) + " after " + opt};
    const std::string_view v = args[i++];
    if (auto r = tunnel_value_option(opt, v, st)) return *r;
    return *process_value_option(opt, v, st.opts);
}

}  // namespace

Status check_daemon_options(const DaemonOptions& opts) {
    if (auto st = check_tunnels(opts); !st) return st;
    return check_handshake_options(opts);
}

Result<DaemonOptions> parse_daemon_args(std::span<const std::string_view> args) {
    ParseState st;
    for (size_t i = 0; i < args.size();)
        if (auto r = parse_one(args, i, st); !r) return Error{r.message()};
    if (!st.opts.config_file.empty()) {
        if (!st.tunnel_option.empty())
            return Error{"-config cannot be mixed with " + st.tunnel_option + ": the file gives the tunnels and their options"};
        return std::move(st.opts);  // the tunnels and their checks come with the file
    }
    if (auto r = apply_defaults(st.opts, st.defaults); !r) return Error{r.message()};
    if (auto r = check_daemon_options(st.opts); !r) return Error{r.message()};
    if (auto r = load_password_files(st.opts); !r) return Error{r.message()};
    return std::move(st.opts);
}

Result<config::FileReader> password_reader(DaemonOptions& opts) {
    if (!opts.run_as) {
        auto who = resolve_run_as(opts.user);
        if (!who) return who.error();
        opts.run_as = *who;
    }
    config::FileReader reader{::geteuid()};
    if (opts.run_as->uid != 0) reader.group = opts.run_as->gid;
    return reader;
}

void wipe_passwords(DaemonOptions& opts) {
    for (auto& t : opts.tunnels) t.password.wipe();
}

}  // namespace tvpn
