// drop_privileges, in a forked child started as root: afterwards it is the
// new user with no groups, no capabilities and no way back, and (what an
// attacker in the daemon would try) a root-only file cannot be opened.
#include "vnddvpnd/privileges.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "tests/unit/temp_dir.h"

using namespace tvpn;

namespace {

constexpr uid_t kUser = 4242;  // need not exist: the kernel takes any id
constexpr gid_t kGroup = 4243;

// The value of FIELD in /proc/self/status ("CapEff", "NoNewPrivs", ...).
std::string status_field(const std::string& field) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field + ":", 0) == 0) {
            const auto v = line.find_first_not_of(" \t", field.size() + 1);
            return v == std::string::npos ? "" : line.substr(v);
        }
    return "?";
}

// The child's checks, each failure its own exit code.
int dropped_child(const std::string& root_only) {
    Logger log("privileges_test", Logger::Sink::Silent);
    if (!drop_privileges(RunAs{"test", kUser, kGroup, true, false}, {}, log)) return 1;
    if (::getuid() != kUser || ::geteuid() != kUser || ::getgid() != kGroup) return 2;
    if (status_field("Uid") != "4242\t4242\t4242\t4242") return 3;
    if (status_field("Groups") != "") return 4;
    for (const char* cap : {"CapEff", "CapPrm", "CapInh", "CapAmb", "CapBnd"})
        if (status_field(cap) != "0000000000000000") return 5;
    if (status_field("NoNewPrivs") != "1" || ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) return 6;
    if (::setuid(0) == 0 || ::setresuid(0, 0, 0) == 0) return 7;
    if (::open(root_only.c_str(), O_RDONLY | O_CLOEXEC) >= 0 || errno != EACCES) return 8;
    return 0;
}

}  // namespace

TEST(Privileges, DropIsForGoodAndRootsFilesAreOutOfReach) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop from";
    test::TempDir d;
    ::chmod(d.path().c_str(), 0755);
    const std::string secret = d.file("root-only.key", "secret\n", 0600);
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(dropped_child(secret));
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "failed check " << WEXITSTATUS(status) << " (see dropped_child)";
}

TEST(Privileges, RootCanAttachInterfaces) {
    if (::geteuid() != 0) GTEST_SKIP() << "not root";
    EXPECT_TRUE(may_attach_interfaces());
}
