#include "vnddvpnd/daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/control/runtime_paths.h"

namespace tvpn {
namespace {

bool write_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

Result<Pidfile> Pidfile::acquire(const std::string& path, const std::string& ifname) {
    if (path.rfind(std::string(kRunDir) + "/", 0) == 0)
        if (auto st = make_run_dir(); !st) return Error{st.message()};
    // The daemons' user may create files in /run/vnddvpnd (root:tvpn 1770): a
    // link it left at this path must not make root write through it.
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid()) return Error{errno_message("cannot open pidfile " + path, errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
        return Error{"pidfile " + path + " is not a regular file of its own (a link?): remove it"};
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
        char buf[32] = {};
        ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
        std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
        return Error{"another vnddvpnd (pid " + pid + ") already serves " + ifname + " (" + path + ")"};
    }
    Pidfile pf(path, std::move(fd));
    if (auto st = pf.update(); !st) return Error{st.message()};
    return pf;
}

Status Pidfile::update() {
    std::string text = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_.get(), 0) < 0 || ::pwrite(fd_.get(), text.data(), text.size(), 0) < 0)
        return Error{errno_message("cannot write pidfile " + path_, errno)};
    return {};
}

Pidfile::~Pidfile() {
    if (fd_.valid()) ::unlink(path_.c_str());
}

Result<UniqueFd> daemonize() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return Error{errno_message("pipe", errno)};
    UniqueFd rd(fds[0]), wr(fds[1]);
    pid_t pid = ::fork();
    if (pid < 0) return Error{errno_message("fork", errno)};
    if (pid > 0) {
        // Parent: exit with the child's verdict.
        wr.reset();
        std::string message;
        char buf[512];
        for (;;) {
            ssize_t n = ::read(rd.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            message.append(buf, static_cast<size_t>(n));
        }
        if (message == "OK") std::_Exit(0);
        if (message.empty()) message = "the daemon exited during start-up";
        std::fprintf(stderr, "vnddvpnd: %s\n", message.c_str());
        std::_Exit(1);
    }
    rd.reset();
    if (::setsid() < 0) return Error{errno_message("setsid", errno)};
    // Second fork: the daemon is not a session leader and cannot regain a terminal.
    pid = ::fork();
    if (pid < 0) return Error{errno_message("fork", errno)};
    if (pid > 0) std::_Exit(0);
    ::umask(022);
    if (::chdir("/") < 0) return Error{errno_message("chdir /", errno)};
    return wr;
}

void report_to_parent(UniqueFd& pipe, const std::string& error) {
    if (!pipe.valid()) return;
    write_all(pipe.get(), error.empty() ? "OK" : error);
    pipe.reset();
}

UniqueFd open_dev_null() { return UniqueFd(::open("/dev/null", O_RDWR | O_CLOEXEC)); }

void detach_stdio(UniqueFd null, bool keep_stderr) {
    if (!null.valid()) return;
    ::dup2(null.get(), STDIN_FILENO);
    ::dup2(null.get(), STDOUT_FILENO);
    if (!keep_stderr) ::dup2(null.get(), STDERR_FILENO);
    if (null.get() <= STDERR_FILENO) null.release();  // it is one of them now
}

}  // namespace tvpn
