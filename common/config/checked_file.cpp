#include "common/config/checked_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace tvpn::config {

namespace {

std::string mode_text(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string too_large(const std::string& path, const FileRules& rules) {
    return std::string(rules.what) + " " + path + " is larger than " + std::to_string(rules.max_size) + " bytes";
}

// The forbidden bits of `st`, less group-read when its group is the reader's.
mode_t forbidden_bits(const struct stat& st, const FileRules& rules, const FileReader& reader) {
    const bool own_group = reader.group && st.st_gid == *reader.group;
    return st.st_mode & rules.forbidden & (own_group ? ~static_cast<mode_t>(S_IRGRP) : ~static_cast<mode_t>(0));
}

std::string mode_fix(const std::string& path, const FileRules& rules, const FileReader& reader) {
    std::string fix = std::string(rules.fix) + " " + path;
    if (reader.group && (rules.forbidden & S_IRGRP))
        fix += ", or chgrp " + std::to_string(*reader.group) + " " + path + " and chmod 640 " + path;
    return fix;
}

}  // namespace

Result<UniqueFd> open_checked_file(const std::string& path, const FileRules& rules, const FileReader& reader) {
    const uid_t owner = reader.owner;
    const std::string name = std::string(rules.what) + " " + path;
    // O_NONBLOCK: a FIFO put in the file's place must not hang the open.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid()) return Error{errno_message(name, errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Error{errno_message(name, errno)};
    if (!S_ISREG(st.st_mode)) return Error{name + " is not a regular file"};
    if (st.st_uid != 0 && st.st_uid != owner)
        return Error{name + " is owned by uid " + std::to_string(st.st_uid) + ", not by root" +
                     (owner ? " or uid " + std::to_string(owner) + " (who reads it)" : "") +
                     ", so that user could change it"};
    if (forbidden_bits(st, rules, reader))
        return Error{name + " has mode " + mode_text(st.st_mode) + ": group or others may " +
                     (rules.forbidden & (S_IRGRP | S_IROTH) ? "read or write" : "write") + " it (" +
                     mode_fix(path, rules, reader) + ")"};
    if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > rules.max_size) return Error{too_large(path, rules)};
    return fd;
}

Result<size_t> read_whole_file(int fd, std::span<uint8_t> buf, const std::string& path, const FileRules& rules) {
    size_t n = 0;
    while (n < buf.size()) {
        const ssize_t r = ::read(fd, buf.data() + n, buf.size() - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return Error{errno_message(std::string(rules.what) + " " + path, errno)};
        if (r == 0) break;
        n += static_cast<size_t>(r);
    }
    if (n > rules.max_size) return Error{too_large(path, rules)};
    return n;
}

}  // namespace tvpn::config
