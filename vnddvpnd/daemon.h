// Process management for vnddvpnd: pidfiles that also lock an interface to one
// daemon, and daemonizing with a report from the child to the waiting parent.
#pragma once

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn {

// A locked pidfile holding our PID; removed when destroyed.
class Pidfile {
public:
    static Result<Pidfile> acquire(const std::string& path, const std::string& ifname);
    Pidfile(Pidfile&&) = default;
    Pidfile& operator=(Pidfile&&) = default;
    ~Pidfile();
    // Rewrites the PID (after fork).
    Status update();
    const std::string& path() const { return path_; }

private:
    Pidfile(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    std::string path_;
    UniqueFd fd_;
};

// Forks into the background. Returns in the daemon child only, with a pipe
// to report on; the parent waits for the report and exits with it.
Result<UniqueFd> daemonize();
// Tells the waiting parent that start-up worked (empty message) or failed.
void report_to_parent(UniqueFd& pipe, const std::string& error);
// /dev/null, opened before the system call filter forbids opening it for writing.
UniqueFd open_dev_null();
// Points stdin and stdout at `null` (from open_dev_null), and stderr too unless
// it is to be kept (the log goes there when there is no syslog).
void detach_stdio(UniqueFd null, bool keep_stderr);

}  // namespace tvpn
