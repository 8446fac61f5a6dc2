#include "vnddconfig/vnddconfig.h"

#include "common/config/config_values.h"
#include "common/control/runtime_paths.h"

namespace tvpn {

const char* vnddconfig_usage() {
    return "usage: vnddconfig [-backend tap|vndd] COMMAND\n"
           "  add IF [mtu N] [mac XX:XX:XX:XX:XX:XX] [noarp]\n"
           "                 create the persistent virtual interface IF\n"
           "  remove IF      delete IF (stop the vnddvpnd attached to it first)\n"
           "  list           show interfaces: name, backend, MAC, MTU, attached daemon\n"
           "  status IF [-pidfile PATH]\n"
           "                 ask the vnddvpnd serving IF for the status of IF's peers; give\n"
           "                 -pidfile PATH when vnddvpnd was started with -pidfile PATH;\n"
           "                 exit status 3 when an encrypted peer is not responding\n"
           "  show [IF] [-pidfile PATH] [--json | --prometheus]\n"
           "                 every interface a vnddvpnd serves (or IF): backend, MTU, listen\n"
           "                 address; per peer its state, endpoint, last handshake, traffic,\n"
           "                 drops by reason, path MTU and fragments; --json one JSON\n"
           "                 document, --prometheus the Prometheus text format (node_exporter's\n"
           "                 textfile collector); exit status 1 when IF has no daemon\n"
           "  up IF [-config FILE] [-no-daemon]\n"
           "                 set IF up from /etc/tvpn/IF.conf (tvpn.conf(5)) or FILE: run\n"
           "                 PreUp, create IF, add its addresses, put it in its bridge,\n"
           "                 bring it up, start its vnddvpnd, run PostUp; undone if a step fails;\n"
           "                 -no-daemon: all but the daemon, which a service manager runs\n"
           "  down IF [-config FILE] [-no-daemon]\n"
           "                 undo what 'up IF' did (also after a failed or interrupted up):\n"
           "                 PreDown, stop the daemon, delete a bridge up created and IF, PostDown;\n"
           "                 -no-daemon: undo 'up IF -no-daemon' (nothing to undo is no error)\n"
           "  genpsk         print a strong random password (120 bits) for a password file\n"
           "The vndd backend (vnddmgr module) is used when /dev/vnddmgr exists,\n"
           "otherwise the kernel's TAP driver. IF: at most 15 bytes, no '/', ':' or spaces.\n"
           "MTU: 68..65000 (default 1500, as Ethernet; frames up to it cross whole over any path).\n"
           "vnddconfig --help prints this text, vnddconfig --version the version.\n";
}

namespace {

Status parse_add_options(const std::vector<std::string>& args, size_t i, InterfaceSpec& spec) {
    bool have_mtu = false, have_mac = false;
    while (i < args.size()) {
        const std::string& opt = args[i];
        if (opt == "noarp") {
            spec.noarp = true;
            ++i;
            continue;
        }
        if (opt != "mtu" && opt != "mac") return Error{"unknown option '" + opt + "' for add"};
        if (i + 1 >= args.size()) return Error{"missing value after '" + opt + "'"};
        const std::string& value = args[i + 1];
        if (opt == "mtu") {
            if (have_mtu) return Error{"mtu given twice"};
            auto mtu = parse_long(value, -(1L << 40), 1L << 40);
            if (!mtu) return Error{"bad MTU '" + value + "'"};
            if (auto err = check_mtu(*mtu)) return *err;
            spec.mtu = static_cast<int>(*mtu);
            have_mtu = true;
        } else {
            if (have_mac) return Error{"mac given twice"};
            auto mac = parse_mac(value);
            if (!mac) return mac.error();
            spec.mac = *mac;
            have_mac = true;
        }
        i += 2;
    }
    return {};
}

// "status IF" may end with "-pidfile PATH": the path vnddvpnd was given.
Status parse_status_options(const std::vector<std::string>& args, size_t i, ConfigCommand& cmd) {
    if (i == args.size()) return {};
    if (args[i] != "-pidfile") return Error{"unknown option '" + args[i] + "' for status (expected -pidfile PATH)"};
    if (i + 1 >= args.size()) return Error{"missing value after -pidfile"};
    if (i + 2 != args.size()) return Error{"status takes an interface name and at most -pidfile PATH"};
    if (auto err = check_pidfile_path(args[i + 1])) return *err;
    cmd.pidfile = args[i + 1];
    return {};
}

// "show [IF] [-pidfile PATH] [--json | --prometheus]", from after "show".
Status parse_show(const std::vector<std::string>& args, size_t i, ConfigCommand& cmd) {
    bool have_format = false;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json" || a == "--prometheus") {
            if (have_format) return Error{"show takes one of --json and --prometheus"};
            cmd.format = a == "--json" ? ShowFormat::Json : ShowFormat::Prometheus;
            have_format = true;
        } else if (a == "-pidfile") {
            if (i + 1 >= args.size()) return Error{"missing value after -pidfile"};
            if (!cmd.pidfile.empty()) return Error{"-pidfile given twice"};
            if (auto err = check_pidfile_path(args[i + 1])) return *err;
            cmd.pidfile = args[++i];
        } else if (!a.empty() && a[0] == '-') {
            return Error{"unknown option '" + a + "' for show (expected -pidfile PATH, --json or --prometheus)"};
        } else {
            if (!cmd.spec.name.empty()) return Error{"show takes at most one interface name"};
            if (auto err = check_ifname(a)) return *err;
            cmd.spec.name = a;
        }
    }
    if (!cmd.pidfile.empty() && cmd.spec.name.empty()) return Error{"show -pidfile PATH needs the interface name"};
    cmd.verb = ConfigVerb::Show;
    return {};
}

// "up IF" and "down IF" may end with "-config FILE" and "-no-daemon", in either order.
Status parse_up_down_options(const std::vector<std::string>& args, size_t i, const std::string& verb, ConfigCommand& cmd) {
    bool have_config = false;
    while (i < args.size()) {
        const std::string& opt = args[i];
        if (opt == "-no-daemon") {
            if (cmd.no_daemon) return Error{"-no-daemon given twice"};
            cmd.no_daemon = true;
            ++i;
            continue;
        }
        if (opt != "-config")
            return Error{"unknown option '" + opt + "' for " + verb + " (expected -config FILE or -no-daemon)"};
        if (have_config) return Error{"-config given twice"};
        if (i + 1 >= args.size()) return Error{"missing value after -config"};
        if (args[i + 1].empty()) return Error{"-config needs a FILE"};
        cmd.config_file = args[i + 1];
        have_config = true;
        i += 2;
    }
    return {};
}

}  // namespace

std::string status_socket_path(const ConfigCommand& cmd) {
    return control_socket_path(cmd.pidfile.empty() ? default_pidfile(cmd.spec.name) : cmd.pidfile);
}

bool status_mentions(const std::string& reply, const std::string& ifname) {
    const std::string line = "tunnel " + ifname + ":";
    return reply.rfind(line, 0) == 0 || reply.find("\n" + line) != std::string::npos;
}

Result<ConfigCommand> parse_config_args(const std::vector<std::string>& args) {
    ConfigCommand cmd;
    size_t i = 0;
    if (i < args.size() && args[i] == "-backend") {
        if (i + 1 >= args.size()) return Error{"missing value after -backend"};
        cmd.backend = args[i + 1];
        if (cmd.backend != "tap" && cmd.backend != "vndd")
            return Error{"unknown backend '" + cmd.backend + "' (expected tap or vndd)"};
        i += 2;
    }
    if (i >= args.size()) return cmd;  // usage
    const std::string& verb = args[i++];
    if (verb == "list" || verb == "genpsk") {
        if (i != args.size()) return Error{verb + " takes no arguments"};
        cmd.verb = verb == "list" ? ConfigVerb::List : ConfigVerb::Genpsk;
        return cmd;
    }
    if (verb == "show") {
        if (auto st = parse_show(args, i, cmd); !st) return Error{st.message()};
        return cmd;
    }
    if (verb != "add" && verb != "remove" && verb != "status" && verb != "up" && verb != "down")
        return Error{"unknown command '" + verb + "'"};
    if (i >= args.size()) return Error{verb + " needs an interface name"};
    cmd.spec.name = args[i++];
    if (verb == "up" || verb == "down") {
        // The name reaches hook commands through %i: the file's rules.
        if (auto err = config::check_config_ifname(cmd.spec.name)) return *err;
        if (!cmd.backend.empty()) return Error{verb + " takes the backend from the file (Backend =), not from -backend"};
        if (auto st = parse_up_down_options(args, i, verb, cmd); !st) return Error{st.message()};
        cmd.verb = verb == "up" ? ConfigVerb::Up : ConfigVerb::Down;
        return cmd;
    }
    if (auto err = check_ifname(cmd.spec.name)) return *err;
    if (verb == "status") {
        if (auto st = parse_status_options(args, i, cmd); !st) return Error{st.message()};
        cmd.verb = ConfigVerb::Status;
        return cmd;
    }
    if (verb == "remove") {
        if (i != args.size()) return Error{"remove takes only an interface name"};
        cmd.verb = ConfigVerb::Remove;
        return cmd;
    }
    cmd.verb = ConfigVerb::Add;
    if (auto st = parse_add_options(args, i, cmd.spec); !st) return Error{st.message()};
    return cmd;
}

}  // namespace tvpn
