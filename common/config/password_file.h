// PasswordFile / -pwd-file: a password read from a file that only its owner
// (root or the user reading it) can read and write, and at most vnddvpnd's
// own group read, straight into a Secret.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/config/checked_file.h"
#include "common/crypto/secret.h"
#include "common/result.h"

namespace tvpn::config {

// A password is typed, not a key file: anything larger is a wrong path.
inline constexpr size_t kMaxPasswordFileSize = 1024;

// The file's bytes without one trailing newline ("\n" or "\r\n"). Refuses a
// file that is not regular, is owned by a user other than root and
// reader.owner, that group or others may read or write (group-read is
// accepted when the file's group is reader.group), that is empty or larger
// than kMaxPasswordFileSize, or that holds a NUL or a second line.
// The errors never contain the password.
Result<crypto::Secret> load_password_file(const std::string& path, const FileReader& reader);
Result<crypto::Secret> load_password_file(const std::string& path, uid_t trusted_owner);
// The same with the effective user as the trusted owner.
Result<crypto::Secret> load_password_file(const std::string& path);

}  // namespace tvpn::config
