// The pidfile under attack: /run/vnddvpnd lets the daemons' user (tvpn)
// create files, so a link left where a pidfile goes must not make a daemon
// started as root write through it, and vnddconfig must not signal a PID
// that a daemon taken over wrote into its pidfile.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "tests/unit/temp_dir.h"
#include "vnddconfig/daemon_control.h"
#include "vnddvpnd/daemon.h"

using namespace tvpn;
using tvpn::test::TempDir;

namespace {

std::string contents(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(Pidfile, ALinkInItsPlaceIsRefusedAndLeftAlone) {
    TempDir d;
    const auto target = d.file("shadow", "root:secret\n", 0600);
    const std::string sym = d.path() + "/vlan3.pid", hard = d.path() + "/vlan4.pid";
    ASSERT_EQ(::symlink(target.c_str(), sym.c_str()), 0);
    ASSERT_EQ(::link(target.c_str(), hard.c_str()), 0);
    auto via_symlink = Pidfile::acquire(sym, "vlan3");
    ASSERT_FALSE(via_symlink);
    auto via_hardlink = Pidfile::acquire(hard, "vlan4");
    ASSERT_FALSE(via_hardlink);
    EXPECT_EQ(via_hardlink.error().message, "pidfile " + hard + " is not a regular file of its own (a link?): remove it");
    EXPECT_EQ(contents(target), "root:secret\n");  // not truncated, not overwritten
    auto fresh = Pidfile::acquire(d.path() + "/vlan5.pid", "vlan5");
    ASSERT_TRUE(fresh) << fresh.error().message;
    EXPECT_EQ(contents(d.path() + "/vlan5.pid"), std::to_string(::getpid()) + "\n");
}

TEST(Pidfile, VnddconfigStopsOnlyAVnddvpnd) {
    TempDir d;
    const std::string path = d.path() + "/vlan3.pid";
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t victim = ::fork();
    if (victim == 0) {  // some other process, whose PID a taken-over daemon wrote into its locked pidfile
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::write(fd, pid.data(), pid.size()) < 0 || ::write(ready[1], "x", 1) != 1) ::_exit(1);
        ::sleep(20);
        ::_exit(0);
    }
    ::close(ready[1]);
    char c;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    const Status st = stop_daemon(path);
    const bool alive = ::waitpid(victim, nullptr, WNOHANG) == 0;  // not even a zombie yet
    ::kill(victim, SIGKILL);
    ::waitpid(victim, nullptr, 0);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.message(), "pidfile " + path + " names pid " + std::to_string(victim) + ", which is not vnddvpnd: not stopping it");
    EXPECT_TRUE(alive);
}
