// vnddvpnd entry point: parse, set up the tunnels, run the event loop until
// SIGTERM/SIGINT (or 'quit' on the console).
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/crypto/secret.h"
#include "common/version.h"
#include "common/control/control_socket.h"
#include "common/control/runtime_paths.h"
#include "common/control/event_loop.h"
#include "vnddvpnd/config_options.h"
#include "vnddvpnd/config_reload.h"
#include "vnddvpnd/console.h"
#include "vnddvpnd/control_commands.h"
#include "vnddvpnd/core_dumps.h"
#include "vnddvpnd/daemon.h"
#include "vnddvpnd/log_sink.h"
#include "vnddvpnd/options.h"
#include "vnddvpnd/password_policy.h"
#include "vnddvpnd/peer_event_log.h"
#include "vnddvpnd/peer_resolver.h"
#include "vnddvpnd/service_notify.h"
#include "vnddvpnd/privileges.h"
#include "vnddvpnd/syscall_filter.h"
#include "vnddvpnd/tunnel_setup.h"

namespace {

using namespace tvpn;

constexpr uint64_t kTickNs = 100000000;  // timers run every 100 ms

// Blocks the signals we handle and returns a signalfd for them.
Result<UniqueFd> signal_fd() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaddset(&set, s);
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) < 0) return Error{errno_message("sigprocmask", errno)};
    UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd.valid()) return Error{errno_message("signalfd", errno)};
    ::signal(SIGPIPE, SIG_IGN);
    return fd;
}

// Overwrites -pwd values in our own argv so they do not linger in /proc/PID/cmdline.
void scrub_passwords(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "-pwd") == 0) std::memset(argv[i + 1], 'x', std::strlen(argv[i + 1]));
}

// SIGHUP: with -config, the file read again and applied (systemd told
// RELOADING=1, then READY=1); without, nothing to re-read.
void reload(std::optional<ConfigReloader>& reloader, Datapath& datapath, PeerResolver& resolver,
            PeerEventLog& events, ServiceNotifier& notifier, Logger& log) {
    if (!reloader) {
        log.warning("SIGHUP: nothing to reload: only vnddvpnd -config FILE re-reads its file");
        return;
    }
    notifier.reloading(monotonic_ns());
    if (reloader->reload(datapath, log, [&] { notifier.watchdog(monotonic_ns()); })) {
        resolver.peers_changed();
        events.reset(monotonic_ns());  // the peers' counters start anew, not as events
    }
    notifier.ready(summarize(datapath), monotonic_ns());
}

// Once everything that needs root is done: the -user, no capabilities, the
// system call filter. The files named are those the daemon removes at exit.
Status confine(const DaemonOptions& opts, const RunningTunnels& running, Logger& log) {
    std::vector<std::string> own_files;
    for (const auto& p : running.pidfiles) {
        own_files.push_back(p.path());
        own_files.push_back(control_socket_path(p.path()));
    }
    if (auto st = drop_privileges(*opts.run_as, own_files, log); !st) return st;
    return install_syscall_filter();
}

int run(DaemonOptions& opts, const config::TvpnConfig& file_config, Logger& log) {
    UniqueFd parent_pipe;
    if (opts.daemonize) {
        auto pipe = daemonize();
        if (!pipe) {
            log.error(pipe.error().message);
            return 1;
        }
        parent_pipe = std::move(*pipe);
    }
    auto fail = [&](const std::string& message) {
        log.error(message);
        report_to_parent(parent_pipe, message);
        return 1;
    };
    auto sigfd = signal_fd();
    if (!sigfd) return fail(sigfd.error().message);
    auto loop = EventLoop::create();
    if (!loop) return fail(loop.error().message);
    auto running = setup_tunnels(opts, log);
    std::optional<ConfigReloader> reloader;  // digests of the passwords, taken before they are wiped
    if (running && !opts.config_file.empty()) {
        auto r = ConfigReloader::create(opts, file_config);
        if (!r) return fail(r.error().message);
        reloader.emplace(std::move(*r));
    }
    wipe_passwords(opts);  // the codecs hold derived keys only
    crypto::wipe_stack();  // and the key derivation's frames are gone
    if (!running) return fail(running.error().message);
    Datapath& datapath = *running->datapath;
    if (auto st = datapath.register_with(*loop); !st) return fail(st.message());
    ServiceNotifier notifier(log);
    PeerResolver resolver(datapath, log);
    PeerEventLog events(datapath, log, monotonic_ns());

    loop->add(sigfd->get(), [&](uint32_t) {
        signalfd_siginfo si{};
        while (::read(sigfd->get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
            if (si.ssi_signo == SIGUSR1) {
                log.info("status:\n" + format_status(datapath, monotonic_ns()));
            } else if (si.ssi_signo == SIGHUP) {
                reload(reloader, datapath, resolver, events, notifier, log);
            } else {
                log.info(std::string("stopping on ") + strsignal(static_cast<int>(si.ssi_signo)));
                loop->stop();
            }
        }
    });
    std::vector<ControlSocket> controls;
    for (const auto& p : running->pidfiles) {
        auto c = ControlSocket::listen(control_socket_path(p.path()));
        if (!c) return fail(c.error().message);
        controls.push_back(std::move(*c));
    }
    auto answer = [&](const std::string& command) { return answer_control(datapath, command, monotonic_ns()); };
    for (auto& c : controls) loop->add(c.fd(), [&c, &answer](uint32_t) { c.on_readable(answer); });
    Console console(datapath, *loop);
    const bool interactive = !opts.daemonize && ::isatty(STDIN_FILENO);
    if (interactive) loop->add(STDIN_FILENO, [&](uint32_t) { console.on_input(); });

    for (const auto& pe : datapath.peers()) {
        const Peer& p = *pe.peer;
        log.info("tunnel " + p.config().ifname + " up: " + p.config().local.to_string() + " <-> " +
                 (p.config().remote ? p.config().remote->to_string() : std::string("any")) +
                 (p.config().name != p.config().ifname ? " (name " + p.config().name + ")" : ""));
    }
    UniqueFd dev_null = opts.daemonize ? open_dev_null() : UniqueFd{};  // opened while we still may
    if (auto st = confine(opts, *running, log); !st) return fail(st.message());
    if (opts.daemonize) {
        const bool syslog = syslog_available();
        if (syslog) log.use_sink(Logger::Sink::Syslog);
        report_to_parent(parent_pipe, "");
        detach_stdio(std::move(dev_null), !syslog);
    }
    if (interactive) console.prompt();
    notifier.ready(summarize(datapath), monotonic_ns());  // every tunnel is set up
    uint64_t last_tick = monotonic_ns();
    while (!loop->stopped()) {
        // Frames still queued: only look for what else is ready, then serve them.
        const bool backlog = datapath.backlogged();
        if (auto st = loop->run_once(backlog ? 0 : static_cast<int>(kTickNs / 1000000)); !st) {
            log.error(st.message());
            return 1;
        }
        if (backlog) datapath.serve_backlog();
        const uint64_t now = monotonic_ns();
        if (now - last_tick >= kTickNs) {
            datapath.tick(now);
            resolver.tick(now);
            if (notifier.active()) notifier.tick(summarize(datapath), now);
            events.tick(now);
            last_tick = now;
        }
    }
    notifier.stopping();
    if (datapath.all_dead()) {
        log.error("every tunnel's interface is gone; exiting");
        return 1;
    }
    return 0;
}

// What main() does; a function of its own so that its frame, whose slots are
// partly never written, lies below main's and so in what main wipes first.
[[gnu::noinline]] int start(int argc, char** argv) {
    // First: no core dump may hold the password, w or the session keys.
    if (auto st = forbid_core_dumps(); !st) {
        std::fprintf(stderr, "vnddvpnd: %s\n", st.message().c_str());
        return 1;
    }
    // Views into argv: a -pwd value is copied only into its Secret, then
    // overwritten here in argv.
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty() || (args.size() == 1 && (args[0] == "--help" || args[0] == "-h"))) {
        std::fputs(vnddvpnd_usage(), stdout);
        return 0;
    }
    if (args.size() == 1 && args[0] == "--version") {
        std::printf("vnddvpnd (TVPN) %s\n", kTvpnVersion);
        return 0;
    }
    auto opts = parse_daemon_args(args);
    scrub_passwords(argc, argv);
    if (!opts) {
        std::fprintf(stderr, "vnddvpnd: %s (vnddvpnd --help shows the usage)\n", opts.error().message.c_str());
        return 2;
    }
    config::TvpnConfig file_config;  // what a reload compares the file with
    if (!opts->config_file.empty())
        if (auto st = load_config_tunnels(*opts, file_config); !st) {  // one line naming file, line and key
            std::fprintf(stderr, "vnddvpnd: %s\n", st.message().c_str());
            return 2;
        }
    auto warnings = check_passwords(*opts);
    crypto::wipe_stack();  // zxcvbn's copies of the passwords
    if (!warnings) {
        std::fprintf(stderr, "vnddvpnd: %s\n", warnings.error().message.c_str());
        return 2;
    }
    if (!may_attach_interfaces()) {
        std::fprintf(stderr, "vnddvpnd: must be run as root or with CAP_NET_ADMIN (to attach interfaces)\n");
        return 1;
    }
    if (!opts->run_as) {  // resolved with the options already, unless they read no password file
        auto who = resolve_run_as(opts->user);
        if (!who) {
            std::fprintf(stderr, "vnddvpnd: %s\n", who.error().message.c_str());
            return 2;
        }
        opts->run_as = *who;
    }
    Logger log("vnddvpnd", foreground_sink(log_facts(opts->daemonize)), opts->verbose ? LogLevel::Debug : LogLevel::Info);
    // The packet buffers are 64 KiB slots of which a frame touches a page or
    // two; with transparent huge pages "always" (Debian's default) each touch
    // would make 2 MiB resident, about 20 MiB in all instead of 11.
    if (::prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0)
        log.debug(std::string("cannot disable transparent huge pages: ") + std::strerror(errno));
    if (opts->pwd_on_command_line)
        log.warning("-pwd KEY: other local users can read a command line (ps, /proc/PID/cmdline) until vnddvpnd "
                    "has overwritten it, and shells keep it in their history; -pwd-file PATH or a configuration "
                    "file's PasswordFile keep the password where only root and vnddvpnd's group can read it");
    for (const auto& w : *warnings) log.warning(w);
    if (const auto note = run_as_note(*opts->run_as); !note.empty()) log.info(note);
    return run(*opts, file_config, log);
}

}  // namespace

int main(int argc, char** argv) {
    // Before start() reserves its frame: what ran before main (the loader, a
    // sanitizer's start-up) left a copy of the command line, -pwd KEY
    // included, in the dead stack below us, where that frame's unwritten
    // slots would keep it (pwd_secrets_memory_test found it there).
    crypto::wipe_stack();
    return start(argc, argv);
}
