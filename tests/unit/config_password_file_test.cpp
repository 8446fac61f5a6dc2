// The password-file loader and the configuration-file reader on real files:
// modes, owners, file types, sizes and contents. Runs as root or not (the
// owner check is then exercised through the trusted-owner argument).
#include "common/config/password_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/config/config_file.h"
#include "tests/unit/temp_dir.h"

using namespace tvpn;
using namespace tvpn::config;
using namespace std::literals;
using tvpn::test::TempDir;

namespace {

constexpr uid_t kStranger = 4242;  // a non-root user who is not us

std::string as_text(const crypto::Secret& s) { return std::string(reinterpret_cast<const char*>(s.data()), s.size()); }

std::string password_error(const std::string& path) {
    auto r = load_password_file(path);
    return r ? "ok: " + as_text(*r) : r.error().message;
}

// PATH as if owned by a non-root user other than the reader: chown as root,
// else a file of ours read with another user as the trusted owner.
uid_t make_foreign(const std::string& path) {
    if (::geteuid() == 0) {
        if (::chown(path.c_str(), kStranger, kStranger) != 0) std::abort();
        return 0;
    }
    return ::geteuid() + 1;
}

const std::string kConfig = "[Interface]\nListenPort = 4000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n";

}  // namespace

TEST(PasswordFile, ReadsOneLineWithoutItsNewline) {
    TempDir d;
    EXPECT_EQ(password_error(d.file("a", "correct horse\n")), "ok: correct horse");
    EXPECT_EQ(password_error(d.file("b", "correct horse")), "ok: correct horse");
    EXPECT_EQ(password_error(d.file("c", "crlf\r\n")), "ok: crlf");
    EXPECT_EQ(password_error(d.file("d", "  spaces are kept \t\n")), "ok:   spaces are kept \t");
    EXPECT_EQ(password_error(d.file("e", "read only\n", 0400)), "ok: read only");
    EXPECT_EQ(password_error(d.file("f", "x")), "ok: x");
    EXPECT_EQ(password_error(d.file("g", "cr-only\r")), "ok: cr-only\r");  // a newline is "\n" or "\r\n"
}

TEST(PasswordFile, RefusesFilesGroupOrOthersCanReadOrWrite) {
    TempDir d;
    for (mode_t mode : {0640, 0620, 0604, 0602, 0660, 0644, 0666, 0610, 0601}) {
        const auto p = d.file("pw", "secret\n", mode);
        char m[8];
        std::snprintf(m, sizeof m, "%04o", mode);
        EXPECT_EQ(password_error(p), "password file " + p + " has mode " + m +
                                         ": group or others may read or write it (chmod 600 " + p + ")");
    }
}

TEST(PasswordFile, RefusesAFileOwnedByAnotherUser) {
    TempDir d;
    const auto p = d.file("pw", "secret\n");
    const uid_t owner = make_foreign(p);
    auto r = owner ? load_password_file(p, owner) : load_password_file(p);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("password file " + p + " is owned by uid "), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("so that user could change it"), std::string::npos);
}

TEST(PasswordFile, OnlyVnddvpndsOwnGroupMayReadIt) {
    // root:tvpn 0640: the daemon, no longer root after set-up, reads it on a
    // reload through its group; any other group, or group write, is refused.
    TempDir d;
    const auto p = d.file("pw", "secret\n", 0640);
    const gid_t group = ::getegid();  // the file's group: ours
    auto own = load_password_file(p, FileReader{::geteuid(), group});
    ASSERT_TRUE(own) << own.error().message;
    EXPECT_EQ(as_text(*own), "secret");
    auto other = load_password_file(p, FileReader{::geteuid(), group + 1});
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().message, "password file " + p + " has mode 0640: group or others may read or write it (chmod 600 " +
                                         p + ", or chgrp " + std::to_string(group + 1) + " " + p + " and chmod 640 " + p + ")");
    for (mode_t mode : {0660, 0650, 0644, 0641}) {
        d.file("pw", "secret\n", mode);
        EXPECT_FALSE(load_password_file(p, FileReader{::geteuid(), group})) << std::oct << mode;
    }
}

TEST(PasswordFile, RootsFilesAreTrustedWhoeverReads) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to own a file as root";
    TempDir d;
    auto r = load_password_file(d.file("pw", "secret\n"), kStranger);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(as_text(*r), "secret");
}

TEST(PasswordFile, RefusesWhatIsNotARegularFile) {
    TempDir d;
    EXPECT_EQ(password_error(d.path()), "password file " + d.path() + " is not a regular file");
    const std::string fifo = d.path() + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(password_error(fifo), "password file " + fifo + " is not a regular file");  // and does not hang
    EXPECT_EQ(password_error("/dev/null"), "password file /dev/null is not a regular file");
    EXPECT_EQ(password_error(d.path() + "/missing"), "password file " + d.path() + "/missing: No such file or directory");
}

TEST(PasswordFile, FollowsASymlinkButChecksTheFileItReaches) {
    TempDir d;
    const auto good = d.file("good", "secret\n");
    const auto bad = d.file("bad", "secret\n", 0644);
    ASSERT_EQ(::symlink(good.c_str(), (d.path() + "/to-good").c_str()), 0);
    ASSERT_EQ(::symlink(bad.c_str(), (d.path() + "/to-bad").c_str()), 0);
    EXPECT_EQ(password_error(d.path() + "/to-good"), "ok: secret");
    EXPECT_NE(password_error(d.path() + "/to-bad").find("has mode 0644"), std::string::npos);
}

TEST(PasswordFile, RefusesEmptyOversizedAndMultiLineContents) {
    TempDir d;
    auto p = d.file("empty", "");
    EXPECT_EQ(password_error(p), "password file " + p + " is empty");
    p = d.file("newline", "\n");
    EXPECT_EQ(password_error(p), "password file " + p + " is empty");
    p = d.file("max", std::string(kMaxPasswordFileSize, 'p'));
    EXPECT_EQ(load_password_file(p)->size(), kMaxPasswordFileSize);
    p = d.file("big", std::string(kMaxPasswordFileSize + 1, 'p'));
    EXPECT_EQ(password_error(p), "password file " + p + " is larger than 1024 bytes");
    p = d.file("huge", std::string(1 << 20, 'p'));
    EXPECT_EQ(password_error(p), "password file " + p + " is larger than 1024 bytes");
    p = d.file("two", "first\nsecond\n");
    EXPECT_EQ(password_error(p), "password file " + p + " has more than one line (a password is one line)");
    p = d.file("blank-line", "secret\n\n");
    EXPECT_EQ(password_error(p), "password file " + p + " has more than one line (a password is one line)");
    p = d.file("nul", std::string("sec\0ret\n", 8));
    EXPECT_EQ(password_error(p), "password file " + p + " contains a NUL byte");
}

TEST(PasswordFile, ErrorsNeverShowThePassword) {
    TempDir d;
    for (auto [content, mode] : std::initializer_list<std::pair<std::string, mode_t>>{
             {"hunter2-secret\n", 0644}, {"hunter2-secret\nhunter2-secret\n", 0600}, {"hunter2-secret\0"s, 0600}}) {
        auto r = load_password_file(d.file("pw", content, mode));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message.find("hunter2"), std::string::npos) << r.error().message;
    }
}

TEST(ConfigFile, LoadsAFileAndNamesItInErrors) {
    TempDir d;
    auto r = load_config(d.file("vlan3.conf", kConfig, 0644));
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->interface.name, "vlan3");
    const auto bad = d.file("vlan3.conf", kConfig + "MTU = 1\n", 0640);
    EXPECT_EQ(load_config(bad).error().message, bad + ":6: unknown key 'MTU' in [Peer]");
    EXPECT_EQ(load_config(d.path() + "/none.conf").error().message,
              "configuration file " + d.path() + "/none.conf: No such file or directory");
}

TEST(ConfigFile, RefusesAFileOthersCanWrite) {
    // Its hooks run as root: whoever can write the file could run anything.
    TempDir d;
    for (mode_t mode : {0664, 0646, 0666, 0620}) {
        const auto p = d.file("vlan3.conf", kConfig, mode);
        char m[8];
        std::snprintf(m, sizeof m, "%04o", mode);
        EXPECT_EQ(load_config(p).error().message,
                  "configuration file " + p + " has mode " + m + ": group or others may write it (chmod go-w " + p + ")");
    }
}

TEST(ConfigFile, RefusesAFileOwnedByAnotherUser) {
    TempDir d;
    const auto p = d.file("vlan3.conf", kConfig, 0644);
    const uid_t owner = make_foreign(p);
    auto r = owner ? load_config(p, owner) : load_config(p);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("configuration file " + p + " is owned by uid "), std::string::npos)
        << r.error().message;
}

TEST(ConfigFile, RefusesDirectoriesAndHugeFiles) {
    TempDir d;
    EXPECT_EQ(load_config(d.path()).error().message, "configuration file " + d.path() + " is not a regular file");
    const auto p = d.file("vlan3.conf", std::string(kMaxConfigFileSize + 1, '#'), 0644);
    EXPECT_EQ(load_config(p).error().message, "configuration file " + p + " is larger than 1048576 bytes");
    const auto q = d.file("vlan4.conf", kConfig + std::string(kMaxConfigFileSize - kConfig.size(), '\n'), 0644);
    EXPECT_TRUE(load_config(q));
}
