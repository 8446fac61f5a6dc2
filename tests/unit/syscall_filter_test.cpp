// An attacker who has taken over vnddvpnd after set-up, in a forked child
// that installs the daemon's system call filter: what the daemon does still
// works, what an exploit would do next (run a program, trace or fork a
// process, write a file, open a raw socket, get root back) kills it with
// SIGSYS.
#include "vnddvpnd/syscall_filter.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizerRuntime = true;  // its leak check may clone, ptrace and exec
#else
constexpr bool kSanitizerRuntime = false;
#endif

// How a child ended that installed the filter, then ran `act` and exited
// with its result (0..125); 126: the filter could not be installed.
int run_filtered(const std::function<int()>& act) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!tvpn::install_syscall_filter()) ::_exit(126);
        ::_exit(act());
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

bool killed_by_sigsys(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS; }
bool exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

}  // namespace

TEST(SyscallFilter, TheDaemonsOwnCallsStillWork) {
    const int status = run_filtered([] {
        const int unix_socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);  // syslog, sd_notify
        if (unix_socket < 0) return 1;
        ::close(unix_socket);
        const int fd = ::open("/etc/hosts", O_RDONLY | O_CLOEXEC);  // the resolver, a reload
        if (fd < 0) return 2;
        char c;
        if (::read(fd, &c, 1) < 0) return 3;
        ::close(fd);
        const int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (udp < 0) return 5;
        ::close(udp);
        // glibc asks netlink for local addresses: refused, not fatal.
        if (::socket(AF_NETLINK, SOCK_RAW, 0) >= 0 || errno != EAFNOSUPPORT) return 6;
        return 0;
    });
    EXPECT_TRUE(exited_with(status, 0)) << "status " << status;
}

TEST(SyscallFilter, RunningAProgramKills) {
    if (kSanitizerRuntime) GTEST_SKIP() << "a sanitizer build allows execve for its symbolizer";
    const int status = run_filtered([] {
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        ::execve("/bin/true", argv, nullptr);
        return 10;
    });
    EXPECT_TRUE(killed_by_sigsys(status)) << "status " << status;
}

TEST(SyscallFilter, ForkingOrTracingKills) {
    if (kSanitizerRuntime) GTEST_SKIP() << "a sanitizer build's leak check clones and ptraces";
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::fork() >= 0 ? 10 : 11; })));
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 ? 10 : 11; })));
}

TEST(SyscallFilter, WritingOrCreatingAFileKills) {
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::open("/tmp/tvpn-filter-test", O_WRONLY | O_CREAT, 0600) >= 0 ? 10 : 11; })));
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::open("/etc/hosts", O_RDWR) >= 0 ? 10 : 11; })));
    ::unlink("/tmp/tvpn-filter-test");
}

TEST(SyscallFilter, RawSocketsAndRootKill) {
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::socket(AF_PACKET, SOCK_RAW, 0) >= 0 ? 10 : 11; })));
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::setuid(0) == 0 ? 10 : 11; })));
    EXPECT_TRUE(killed_by_sigsys(run_filtered([] { return ::chroot("/") == 0 ? 10 : 11; })));
}
