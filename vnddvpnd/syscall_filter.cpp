#include "vnddvpnd/syscall_filter.h"

#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <string>

#include "driver/vnddmgr_abi.h"

namespace tvpn {
namespace {

// Each call is here for a reason, found by running the end-to-end tests
// under `strace -f` (and SCMP_ACT_LOG): grouped by that reason.
using Calls = std::initializer_list<const char*>;

// The packet path, the control socket and the console: the UDP sockets'
// batches, the TAP/vndd file's frames, the event loop, the signalfd.
constexpr Calls kIo = {"read", "write", "readv", "writev", "pread64", "recvmmsg", "sendmmsg", "recvmsg",
                       "sendmsg", "recvfrom", "sendto", "epoll_wait", "epoll_pwait", "epoll_ctl", "poll",
                       "ppoll", "accept4", "close", "shutdown", "dup2",  // dup2: -daemonize's stdio to /dev/null
                       // path MTU and offload switches on the open sockets; a route's MTU
                       "getsockopt", "setsockopt", "getsockname", "getpeername"};
// Timers (the vDSO answers most; these are its fallbacks) and sleeps.
constexpr Calls kTime = {"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep", "clock_nanosleep"};
// Memory: malloc, thread stacks, the resolver's NSS modules (mmap and
// mprotect below, W^X).
constexpr Calls kMemory = {"brk", "munmap", "mremap", "madvise"};
// Threads: getaddrinfo_a's lookup thread (clone below), its locks and exit;
// glibc sets its SIGSETXID handler (rt_sigaction) at the first pthread_create.
constexpr Calls kThreads = {"futex", "set_robust_list", "rseq", "sched_yield", "sched_getaffinity", "gettid",
                            "getpid", "exit", "exit_group", "restart_syscall", "rt_sigreturn", "rt_sigprocmask",
                            "rt_sigaction"};
// Files read after set-up: the resolver's /etc/hosts, resolv.conf,
// nsswitch.conf, gai.conf and NSS modules, /etc/localtime for syslog, the
// configuration and password files on a reload (openat below, read-only).
// unlink: the pidfile and control socket at exit. readlinkat: a reload's
// user and group lookups (the password files' group rule) go through NSS,
// whose systemd module walks /run/systemd/userdb link by link.
constexpr Calls kFiles = {"fstat", "newfstatat", "statx", "lseek", "fcntl", "getdents64", "readlink", "readlinkat",
                          "access", "faccessat", "faccessat2", "unlink", "unlinkat"};
// The resolver's DNS sockets, a route's MTU (a connected UDP socket), a new
// peer's socket on a reload, syslog's and sd_notify's AF_UNIX datagram
// sockets (socket below: those families only).
constexpr Calls kSockets = {"connect", "bind"};
// Session keys (OpenSSL's RAND_bytes), ids for sd_notify's credentials and
// glibc, uname for the resolver.
constexpr Calls kMisc = {"getrandom", "getuid", "geteuid", "getgid", "getegid", "getppid", "uname"};

// The ioctls of an attached interface, of the console and of the resolver:
// isatty (stdio), the vndd file's batching switch, an interface's MTU and
// index, bytes waiting on a DNS socket. Not TIOCSTI (typing into a terminal).
constexpr unsigned long kIoctls[] = {TCGETS, VNDD_IOC_SETFLAGS, SIOCGIFMTU, SIOCGIFINDEX, FIONREAD};

// Only families the daemon uses; netlink (glibc's getaddrinfo asks it for
// the local addresses) gets "not supported", which glibc handles.
constexpr int kFamilies[] = {AF_UNIX, AF_INET, AF_INET6};

using Filter = scmp_filter_ctx;

Status rule(Filter f, uint32_t action, const char* name, std::initializer_list<scmp_arg_cmp> args = {}) {
    const int nr = ::seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return Error{std::string("unknown system call ") + name};
    const int rc = ::seccomp_rule_add_array(f, action, nr, static_cast<unsigned>(args.size()), args.begin());
    if (rc < 0) return Error{std::string("seccomp rule for ") + name + ": " + std::strerror(-rc)};
    return {};
}

Status allow(Filter f, Calls calls) {
    for (const char* c : calls)
        if (auto st = rule(f, SCMP_ACT_ALLOW, c); !st) return st;
    return {};
}

// mmap and mprotect, but never writable and executable at once.
Status allow_memory_maps(Filter f) {
    constexpr scmp_datum_t wx = PROT_WRITE | PROT_EXEC;
    for (const char* c : {"mmap", "mprotect"})
        for (scmp_datum_t prot : {scmp_datum_t{0}, scmp_datum_t{PROT_WRITE}, scmp_datum_t{PROT_EXEC}})
            if (auto st = rule(f, SCMP_ACT_ALLOW, c, {SCMP_A2(SCMP_CMP_MASKED_EQ, wx, prot)}); !st) return st;
    return {};
}

// Threads only (CLONE_THREAD): no fork, so no new process to exec in.
// glibc tries clone3 first, whose flags seccomp cannot see: "not
// implemented" sends it to clone.
Status allow_threads(Filter f) {
    if (auto st = rule(f, SCMP_ACT_ALLOW, "clone", {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)}); !st)
        return st;
    return rule(f, SCMP_ACT_ERRNO(ENOSYS), "clone3");
}

// Files are opened to be read, never created or written.
Status allow_reading_files(Filter f) {
    constexpr scmp_datum_t mask = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND;
    return rule(f, SCMP_ACT_ALLOW, "openat", {SCMP_A2(SCMP_CMP_MASKED_EQ, mask, O_RDONLY)});
}

Status allow_sockets(Filter f) {
    for (int family : kFamilies)
        if (auto st = rule(f, SCMP_ACT_ALLOW, "socket", {SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family))}); !st)
            return st;
    return rule(f, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", {SCMP_A0(SCMP_CMP_EQ, AF_NETLINK)});
}

// The request is an int for the kernel: compared on its low 32 bits.
Status allow_ioctls(Filter f) {
    for (unsigned long request : kIoctls)
        if (auto st = rule(f, SCMP_ACT_ALLOW, "ioctl", {SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, request)}); !st)
            return st;
    return {};
}

// abort() and raise() signal this process (tgkill to its own pid), nothing else;
// getrlimit (prlimit64 without a new limit) for glibc's thread stacks.
Status allow_self_only(Filter f) {
    const auto self = static_cast<scmp_datum_t>(::getpid());
    if (auto st = rule(f, SCMP_ACT_ALLOW, "tgkill", {SCMP_A0(SCMP_CMP_EQ, self)}); !st) return st;
    return rule(f, SCMP_ACT_ALLOW, "prlimit64", {SCMP_A2(SCMP_CMP_EQ, 0)});
}

#if defined(__SANITIZE_ADDRESS__)
#define TVPN_SANITIZER_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TVPN_SANITIZER_RUNTIME 1
#endif
#endif

#ifdef TVPN_SANITIZER_RUNTIME
// Sanitizer builds only (make SANITIZE=1): LeakSanitizer's check at exit
// makes the process dumpable for a moment (prctl) and stops its threads from
// a helper task (clone without CLONE_THREAD, ptrace, wait4), which reads
// /proc/self/maps and lists /proc/self/task with the legacy calls (open,
// getdents, stat); a report names the binary (readlink) and may run a
// symbolizer. Found from the kernel's audit lines (syscall=N) of SIGSYS kills.
constexpr Calls kSanitizerRuntime = {"clone", "ptrace", "wait4", "prctl", "sigaltstack", "open", "getdents",
                                     "stat", "lstat", "kill", "tkill", "tgkill", "sched_getaffinity", "pipe2",
                                     "dup2", "execve", "mmap", "mprotect", "ioctl"};
#endif

Status add_rules(Filter f) {
    for (Calls calls : {kIo, kTime, kMemory, kThreads, kFiles, kSockets, kMisc})
        if (auto st = allow(f, calls); !st) return st;
    for (auto add : {allow_memory_maps, allow_threads, allow_reading_files, allow_sockets, allow_ioctls, allow_self_only})
        if (auto st = add(f); !st) return st;
#ifdef TVPN_SANITIZER_RUNTIME
    if (auto st = allow(f, kSanitizerRuntime); !st) return st;
#endif
    return {};
}

}  // namespace

Status install_syscall_filter() {
    const auto fail = [](const std::string& what) { return Error{"cannot install the system call filter: " + what}; };
    Filter f = ::seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!f) return fail("seccomp_init");
    Status st = add_rules(f);
    if (st && ::seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1) != 0) st = Error{"cannot apply it to every thread"};
    if (st)
        if (const int rc = ::seccomp_load(f); rc < 0) st = Error{std::string("seccomp_load: ") + std::strerror(-rc)};
    ::seccomp_release(f);
    return st ? Status{} : fail(st.message());
}

}  // namespace tvpn
