#include "vnddvpnd/options.h"

#include <cctype>
#include <cstdlib>

#include "common/crypto/secret.h"
#include "common/endpoint.h"
#include "common/netif_spec.h"
#include "common/runtime_paths.h"

namespace tvpn {

const char* vnddvpnd_usage() {
    return "usage: vnddvpnd -tunnel IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT [-pwd KEY [-cipher des]]\n"
           "                [-tunnel ...] [-rekey SECS] [-daemonize] [-backend tap|vndd] [-pidfile PATH] [-v]\n"
           "  -tunnel     tunnel the frames of interface IF (made with 'vnddconfig add IF')\n"
           "              over UDP from LOCAL_IP:LOCAL_PORT to REMOTE_IP:REMOTE_PORT;\n"
           "              addresses may be IPv4, IPv6 or host names; repeat for more tunnels\n"
           "  -pwd KEY    encrypt the preceding tunnel with KEY (same on both hosts);\n"
           "              before any -tunnel it applies to every tunnel; a password-authenticated\n"
           "              handshake (SPAKE2) gives fresh keys; frames are sealed with AES-256-GCM\n"
           "  -cipher des talk to an original TVPN host: its DES-ECB format (INSECURE: no\n"
           "              integrity, no replay protection; only during a migration); placed\n"
           "              like -pwd\n"
           "  -rekey SECS for tests: new session keys every SECS seconds (default 120);\n"
           "              needs -pwd (not with -cipher des alone)\n"
           "  -daemonize  run in the background, log to syslog, write a pidfile in /run/vnddvpnd\n"
           "  -backend    force the device backend (default: vndd if /dev/vnddmgr exists, else tap)\n"
           "  -pidfile    pidfile path (only with a single tunnel); the control socket goes\n"
           "              beside it: ask with 'vnddconfig status IF -pidfile PATH'\n"
           "  -v          verbose logging\n"
           "In the foreground on a terminal, type 'help' for the console commands.\n";
}

namespace {

// Consumes "IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT" after -tunnel.
Result<TunnelOptions> parse_tunnel_group(const std::vector<std::string>& args, size_t& i) {
    if (i + 5 > args.size())
        return Error{"-tunnel needs 5 arguments: IF LOCAL_IP LOCAL_PORT REMOTE_IP REMOTE_PORT"};
    TunnelOptions t{args[i], args[i + 1], args[i + 2], args[i + 3], args[i + 4], "", false, ""};
    for (size_t k = i; k < i + 5; ++k)
        if (!args[k].empty() && args[k][0] == '-' && args[k].size() > 1 && !std::isdigit(args[k][1]))
            return Error{"-tunnel needs 5 arguments, but '" + args[k] + "' looks like an option"};
    i += 5;
    if (auto err = check_ifname(t.ifname)) return *err;
    if (auto p = parse_port(t.local_port); !p) return p.error();
    if (auto p = parse_port(t.remote_port); !p) return p.error();
    if (t.local_host.empty() || t.remote_host.empty()) return Error{"empty address in -tunnel"};
    return t;
}

Status check_tunnels(const DaemonOptions& opts) {
    if (opts.tunnels.empty()) return Error{"no -tunnel given"};
    for (size_t a = 0; a < opts.tunnels.size(); ++a)
        for (size_t b = a + 1; b < opts.tunnels.size(); ++b)
            if (opts.tunnels[a].ifname == opts.tunnels[b].ifname)
                return Error{"interface " + opts.tunnels[a].ifname + " is in two -tunnel groups"};
    if (!opts.pidfile.empty() && opts.tunnels.size() != 1) return Error{"-pidfile needs exactly one -tunnel"};
    return {};
}

// -rekey is process-wide but only means something to tunnels that agree session
// keys: those with -pwd and the SPAKE2 handshake (not -cipher des).
Status check_rekey(const DaemonOptions& opts) {
    if (!opts.rekey_seconds) return {};
    bool any_password = false;
    for (const auto& t : opts.tunnels) {
        if (t.has_password && t.cipher.empty()) return {};
        any_password = any_password || t.has_password;
    }
    if (!any_password) return Error{"-rekey needs -pwd: without a password no tunnel has keys to renew"};
    return Error{"-rekey does nothing with -cipher des: the original format has no session keys to renew"};
}

}  // namespace

Result<DaemonOptions> parse_daemon_args(const std::vector<std::string>& args) {
    DaemonOptions opts;
    std::string default_password, default_cipher;
    bool has_default_password = false;
    for (size_t i = 0; i < args.size();) {
        const std::string& opt = args[i++];
        auto value = [&](const char* what) -> Result<std::string> {
            if (i >= args.size()) return Error{"missing " + std::string(what) + " after " + opt};
            return args[i++];
        };
        if (opt == "-tunnel") {
            auto t = parse_tunnel_group(args, i);
            if (!t) return t.error();
            opts.tunnels.push_back(std::move(*t));
        } else if (opt == "-pwd") {
            auto v = value("KEY");
            if (!v) return v.error();
            if (v->empty()) return Error{"-pwd needs a non-empty KEY"};
            if (opts.tunnels.empty()) {
                default_password = *v;
                has_default_password = true;
            } else if (opts.tunnels.back().has_password) {
                return Error{"-pwd given twice for tunnel " + opts.tunnels.back().ifname};
            } else {
                opts.tunnels.back().password = *v;
                opts.tunnels.back().has_password = true;
            }
            crypto::wipe_string(*v);
        } else if (opt == "-cipher") {
            auto v = value("des");
            if (!v) return v.error();
            if (*v != "des") return Error{"unknown cipher '" + *v + "' (the only one to choose is des)"};
            if (opts.tunnels.empty()) default_cipher = *v;
            else opts.tunnels.back().cipher = *v;
        } else if (opt == "-rekey") {
            auto v = value("SECONDS");
            if (!v) return v.error();
            char* end = nullptr;
            const unsigned long secs = std::strtoul(v->c_str(), &end, 10);
            if (v->empty() || *end != '\0' || secs < 1 || secs > 86400)
                return Error{"-rekey needs a number of seconds from 1 to 86400"};
            opts.rekey_seconds = static_cast<unsigned>(secs);
        } else if (opt == "-daemonize") {
            opts.daemonize = true;
        } else if (opt == "-v") {
            opts.verbose = true;
        } else if (opt == "-backend") {
            auto v = value("tap|vndd");
            if (!v) return v.error();
            if (*v != "tap" && *v != "vndd") return Error{"unknown backend '" + *v + "' (expected tap or vndd)"};
            opts.backend = *v;
        } else if (opt == "-pidfile") {
            auto v = value("PATH");
            if (!v) return v.error();
            if (auto err = check_pidfile_path(*v)) return *err;
            opts.pidfile = *v;
        } else {
            return Error{"unknown option '" + opt + "'"};
        }
    }
    if (has_default_password)
        for (auto& t : opts.tunnels)
            if (!t.has_password) {
                t.password = default_password;
                t.has_password = true;
            }
    crypto::wipe_string(default_password);
    for (auto& t : opts.tunnels) {
        if (t.cipher.empty()) t.cipher = default_cipher;
        if (!t.cipher.empty() && !t.has_password)
            return Error{"-cipher " + t.cipher + " needs -pwd (tunnel " + t.ifname + ")"};
    }
    if (auto st = check_tunnels(opts); !st) return Error{st.message()};
    if (auto st = check_rekey(opts); !st) return Error{st.message()};
    return opts;
}

void wipe_passwords(DaemonOptions& opts) {
    for (auto& t : opts.tunnels) crypto::wipe_string(t.password);
}

}  // namespace tvpn
