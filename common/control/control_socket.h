// The daemon's control plane: a Unix socket next to each pidfile
// (/run/vnddvpnd/IF.ctl, mode 0600) that answers one command per connection,
// so that `vnddconfig status IF` works for a daemonized or systemd-run vnddvpnd.
#pragma once

#include <functional>
#include <string>

#include "common/control/event_loop.h"
#include "common/unique_fd.h"

namespace tvpn {

class ControlSocket {
public:
    // Answers a command line ("status") with the text to send back.
    using Handler = std::function<std::string(const std::string& command)>;

    static Result<ControlSocket> listen(const std::string& path);
    ControlSocket(ControlSocket&&) = default;
    ControlSocket& operator=(ControlSocket&&) = default;
    ~ControlSocket();

    int fd() const { return fd_.get(); }
    // Accepts one pending connection and answers it.
    void on_readable(const Handler& handler);

private:
    ControlSocket(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    std::string path_;
    UniqueFd fd_;
};

// Client side: sends `command` to the daemon at `path`, returns its answer
// (an error when it is longer than `max_reply` bytes).
Result<std::string> control_request(const std::string& path, const std::string& command,
                                    size_t max_reply = size_t{1} << 20);

}  // namespace tvpn
