#include "vnddconfig/daemon_control.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string_view>
#include <thread>
#include <vector>

#include "common/device/netif_spec.h"
#include "common/control/runtime_paths.h"
#include "common/unique_fd.h"
#include "vnddconfig/child_process.h"

namespace tvpn {
namespace {

using Clock = std::chrono::steady_clock;

// Start-up derives a key from each password (scrypt, a fraction of a second
// per peer) and resolves host names: generous for a hub of many peers.
constexpr auto kStartTimeout = std::chrono::seconds(120);
constexpr auto kStopTimeout = std::chrono::seconds(10);  // SIGTERM, before SIGKILL
constexpr auto kKillTimeout = std::chrono::seconds(3);
constexpr auto kPollStep = std::chrono::milliseconds(50);
constexpr size_t kMaxOutput = 64 * 1024;  // of the daemon's start-up messages

enum class Read { Data, Nothing, Closed };

// Reads what `fd` has within `wait_ms`; Closed at EOF (or on an error).
Read read_some(int fd, std::string& out, int wait_ms) {
    char buf[4096];
    pollfd p{fd, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, wait_ms);
    while (r < 0 && errno == EINTR);
    if (r == 0) return Read::Nothing;
    if (r < 0) return Read::Closed;
    ssize_t n;
    do n = ::read(fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return Read::Closed;
    if (out.size() < kMaxOutput) out.append(buf, static_cast<size_t>(n));
    return Read::Data;
}

// Collects `child`'s output until it exits, or `deadline`; its wait status,
// nullopt on timeout. Not until EOF: a daemon without syslog keeps the
// pipe as its stderr for its log.
std::optional<int> output_until_exit(const Spawned& child, std::string& out, Clock::time_point deadline) {
    bool open = true;
    while (Clock::now() < deadline) {
        if (auto status = ended_child(child.pid)) {
            // What it wrote before exiting is in the pipe already (bounded:
            // the daemon may go on writing its log there).
            for (size_t reads = 0; open && reads < kMaxOutput / 4096; ++reads)
                if (read_some(child.output.get(), out, 0) != Read::Data) break;
            return status;
        }
        if (open) open = read_some(child.output.get(), out, static_cast<int>(kPollStep.count())) != Read::Closed;
        else std::this_thread::sleep_for(kPollStep);
    }
    return std::nullopt;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t i = 0;
    while (i < text.size()) {
        size_t j = text.find('\n', i);
        if (j == std::string::npos) j = text.size();
        if (j > i) lines.push_back(text.substr(i, j - i));
        i = j + 1;
    }
    return lines;
}

// The daemon's error: its last line, without the "vnddvpnd: " its parent puts first.
std::string daemon_error(const std::string& output, int status) {
    auto lines = lines_of(output);
    if (lines.empty()) return "vnddvpnd failed to start (" + exit_text(status) + ")";
    std::string last = lines.back();
    constexpr std::string_view kPrefix = "vnddvpnd: ";
    if (last.rfind(kPrefix, 0) == 0) last.erase(0, kPrefix.size());
    return "vnddvpnd: " + last;
}

// True once no process holds `fd`'s file locked (the daemon has ended).
bool unlocked(int fd) {
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) return false;
    ::flock(fd, LOCK_UN);
    return true;
}

bool wait_unlocked(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!unlocked(fd)) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kPollStep);
    }
    return true;
}

// The PID in a locked pidfile (the daemon may be between locking and
// writing it: retried briefly).
Result<pid_t> locked_pid(int fd, const std::string& pidfile) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        char buf[32] = {};
        const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        std::string_view text(buf, n > 0 ? static_cast<size_t>(n) : 0);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
        if (auto pid = parse_long(text, 2, 1L << 22)) return static_cast<pid_t>(*pid);
        std::this_thread::sleep_for(kPollStep);
    }
    return Error{"pidfile " + pidfile + " is locked but holds no PID"};
}

// A daemon runs as tvpn after set-up and keeps its pidfile open: one taken
// over could write any PID there. Only a vnddvpnd is signalled.
bool is_vnddvpnd(pid_t pid) {
    char target[4096];
    const std::string link = "/proc/" + std::to_string(pid) + "/exe";
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0) return false;
    std::string_view path(target, static_cast<size_t>(n));
    constexpr std::string_view kDeleted = " (deleted)";  // the package was upgraded under it
    if (path.ends_with(kDeleted)) path.remove_suffix(kDeleted.size());
    return path.substr(path.rfind('/') + 1) == "vnddvpnd";
}

void remove_leftovers(const std::string& pidfile) {
    ::unlink(pidfile.c_str());
    ::unlink(control_socket_path(pidfile).c_str());
}

}  // namespace

Result<std::string> vnddvpnd_beside_us() {
    std::string self(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
    if (n <= 0) return Error{errno_message("cannot find this program (/proc/self/exe)", errno)};
    self.resize(static_cast<size_t>(n));
    const std::string daemon = self.substr(0, self.rfind('/') + 1) + "vnddvpnd";
    if (::access(daemon.c_str(), X_OK) != 0) return Error{errno_message("cannot run " + daemon, errno)};
    return daemon;
}

Status start_daemon(const std::string& daemon, const std::string& config_path) {
    auto child = spawn({daemon, "-config", config_path, "-daemonize"}, true);
    if (!child) return Error{child.error().message};
    std::string output;
    // The process we started exits once the daemon has reported, or failed.
    const auto ended = output_until_exit(*child, output, Clock::now() + kStartTimeout);
    if (!ended) {
        ::kill(child->pid, SIGKILL);
        wait_child(child->pid);
        return Error{"vnddvpnd did not report within " + std::to_string(kStartTimeout.count()) + " s"};
    }
    const int status = *ended;
    if (!exited_ok(status)) return Error{daemon_error(output, status)};
    for (const auto& line : lines_of(output))
        if (line.find(": warning: ") != std::string::npos) ::dprintf(STDERR_FILENO, "%s\n", line.c_str());
    return {};
}

Status stop_daemon(const std::string& pidfile) {
    UniqueFd fd(::open(pidfile.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid() && errno == ENOENT) return {};
    if (!fd.valid()) return Error{errno_message("cannot open pidfile " + pidfile, errno)};
    if (unlocked(fd.get())) {  // its daemon is gone (killed: it could not clean up)
        remove_leftovers(pidfile);
        return {};
    }
    auto pid = locked_pid(fd.get(), pidfile);
    if (!pid) return Error{pid.error().message};
    if (::kill(*pid, 0) == 0 && !is_vnddvpnd(*pid))
        return Error{"pidfile " + pidfile + " names pid " + std::to_string(*pid) + ", which is not vnddvpnd: not stopping it"};
    if (::kill(*pid, SIGTERM) != 0 && errno != ESRCH) return Error{errno_message("cannot stop vnddvpnd (pid " + std::to_string(*pid) + ")", errno)};
    // Gone: on our SIGTERM (it cleaned up), or of an earlier SIGKILL that had
    // not taken effect when we looked (it could not): leave nothing either way.
    if (wait_unlocked(fd.get(), kStopTimeout)) {
        remove_leftovers(pidfile);
        return {};
    }
    ::kill(*pid, SIGKILL);
    if (!wait_unlocked(fd.get(), kKillTimeout))
        return Error{"vnddvpnd (pid " + std::to_string(*pid) + ") did not stop, even on SIGKILL"};
    remove_leftovers(pidfile);
    return {};
}

void remove_stale_daemon_files(const std::string& pidfile) {
    UniqueFd fd(::open(pidfile.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.valid() && unlocked(fd.get())) remove_leftovers(pidfile);
}

}  // namespace tvpn
