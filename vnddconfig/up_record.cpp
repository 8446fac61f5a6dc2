#include "vnddconfig/up_record.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/config/config_values.h"
#include "common/control/runtime_paths.h"

namespace tvpn {
namespace {

// A record is a few short lines; anything larger is not one of ours.
constexpr size_t kMaxRecordSize = 16384;

// A step without a value ("pre-up"), or null when `key` is none of them.
bool* flag_of(UpRecord& r, std::string_view key) {
    if (key == "pre-up") return &r.pre_up;
    if (key == "interface") return &r.interface;
    if (key == "post-up") return &r.post_up;
    if (key == "no-daemon") return &r.no_daemon;
    return nullptr;
}

Status check_line(UpRecord& r, std::string_view key, std::string_view value) {
    if (key == "config" || key == "daemon") {
        if (auto bad = config::check_absolute_path(value)) return *bad;
        (key == "config" ? r.config_path : r.pidfile) = value;
    } else if (key == "bridge") {
        if (auto bad = config::check_config_ifname(value)) return *bad;
        r.bridge = value;
    } else if (bool* flag = flag_of(r, key)) {
        if (!value.empty()) return Error{"unexpected value"};
        *flag = true;
    } else {
        return Error{"unknown step"};
    }
    return {};
}

}  // namespace

std::string down_command(const std::string& ifname, bool no_daemon) {
    return "vnddconfig down " + ifname + (no_daemon ? " -no-daemon" : "");
}

Result<UpRecord> parse_up_record(std::string_view text, std::string_view path) {
    UpRecord r;
    size_t number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++number;
        const auto space = line.find(' ');
        const auto key = line.substr(0, space);
        const auto value = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
        if (auto st = check_line(r, key, value); !st)
            return Error{std::string(path) + ":" + std::to_string(number) + ": " + st.message() + " (not a record of vnddconfig up)"};
    }
    if (r.config_path.empty()) return Error{std::string(path) + ": names no configuration file (not a record of vnddconfig up)"};
    return r;
}

Result<UpRecordWriter> UpRecordWriter::create(const std::string& path, const std::string& ifname, const std::string& config_path,
                                             bool no_daemon) {
    if (auto st = make_run_dir(); !st) return Error{st.message()};
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid() && errno == EEXIST) {
        auto existing = read_up_record(path, ifname);
        return Error{ifname + " is already up, or an earlier up did not finish (" + path + "): '" +
                     down_command(ifname, existing && existing->no_daemon) + "' first"};
    }
    if (!fd.valid()) return Error{errno_message("cannot create " + path, errno)};
    UpRecordWriter w(path, std::move(fd));
    auto st = w.add("config " + config_path);
    if (st && no_daemon) st = w.add("no-daemon");
    if (!st) {
        ::unlink(path.c_str());
        return Error{st.message()};
    }
    return w;
}

Status UpRecordWriter::add(const std::string& line) {
    const std::string text = line + "\n";
    const ssize_t n = ::write(fd_.get(), text.data(), text.size());
    if (n != static_cast<ssize_t>(text.size())) return Error{errno_message("cannot write " + path_, n < 0 ? errno : EIO)};
    return {};
}

Result<UpRecord> read_up_record(const std::string& path, const std::string& ifname) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid() && errno == ENOENT) return Error{ifname + " is not up (no record of 'vnddconfig up " + ifname + "' at " + path + ")"};
    if (!fd.valid()) return Error{errno_message("cannot read " + path, errno)};
    // Only ours: the daemons' user may create files in /run/vnddvpnd too.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())
        return Error{path + " is not a file of this user's (not a record of vnddconfig up): remove it"};
    std::string text(kMaxRecordSize + 1, '\0');
    size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{errno_message("cannot read " + path, errno)};
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    if (got > kMaxRecordSize) return Error{path + " is too large for a record of vnddconfig up"};
    text.resize(got);
    return parse_up_record(text, path);
}

}  // namespace tvpn
