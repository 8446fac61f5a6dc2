#include "common/config/password_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "common/config/checked_file.h"

namespace tvpn::config {

namespace {

constexpr FileRules kPasswordRules{"password file", S_IRWXG | S_IRWXO, "chmod 600", kMaxPasswordFileSize};

// The password's length in `bytes` (one trailing newline off), or why the
// bytes are no password.
Result<size_t> password_length(std::span<const uint8_t> bytes, const std::string& path) {
    size_t n = bytes.size();
    if (n > 0 && bytes[n - 1] == '\n') {
        --n;
        if (n > 0 && bytes[n - 1] == '\r') --n;  // written on Windows
    }
    const std::string name = "password file " + path;
    if (n == 0) return Error{name + " is empty"};
    const auto body = bytes.first(n);
    if (std::find(body.begin(), body.end(), uint8_t{0}) != body.end()) return Error{name + " contains a NUL byte"};
    if (std::find(body.begin(), body.end(), uint8_t{'\n'}) != body.end())
        return Error{name + " has more than one line (a password is one line)"};
    return n;
}

}  // namespace

Result<crypto::Secret> load_password_file(const std::string& path, const FileReader& reader) {
    auto fd = open_checked_file(path, kPasswordRules, reader);
    if (!fd) return fd.error();
    crypto::Secret buf(kMaxPasswordFileSize + 1);  // wiped when it goes
    auto got = read_whole_file(fd->get(), buf.span(), path, kPasswordRules);
    if (!got) return got.error();
    auto len = password_length(buf.span().first(*got), path);
    if (!len) return len.error();
    crypto::Secret password(*len);
    std::memcpy(password.data(), buf.data(), *len);
    return password;
}

Result<crypto::Secret> load_password_file(const std::string& path, uid_t trusted_owner) {
    return load_password_file(path, FileReader{trusted_owner});
}

Result<crypto::Secret> load_password_file(const std::string& path) { return load_password_file(path, ::geteuid()); }

}  // namespace tvpn::config
