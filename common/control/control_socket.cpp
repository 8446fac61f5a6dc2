#include "common/control/control_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tvpn {
namespace {

constexpr size_t kMaxCommand = 256;
constexpr int kClientWaitMs = 100;   // the daemon's patience with a slow client
constexpr int kServerWaitMs = 3000;  // the client's patience with a busy daemon

Result<sockaddr_un> make_address(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) return Error{"control socket path too long: " + path};
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

bool wait_fd(int fd, short events, int timeout_ms) {
    pollfd p{fd, events, 0};
    int n;
    do n = ::poll(&p, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n > 0;
}

void send_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size() && wait_fd(fd, POLLOUT, kClientWaitMs)) {
        ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0 && errno != EAGAIN && errno != EINTR) return;
        if (n > 0) done += static_cast<size_t>(n);
    }
}

}  // namespace

Result<ControlSocket> ControlSocket::listen(const std::string& path) {
    auto addr = make_address(path);
    if (!addr) return addr.error();
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return Error{errno_message("socket", errno)};
    // The caller holds the interface's pidfile lock: a socket left at this
    // path can only be a dead daemon's.
    ::unlink(path.c_str());
    const mode_t old = ::umask(0177);
    int rc = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&*addr), sizeof *addr);
    ::umask(old);
    if (rc < 0) return Error{errno_message("cannot bind control socket " + path, errno)};
    if (::listen(fd.get(), 4) < 0) return Error{errno_message("listen " + path, errno)};
    return ControlSocket(path, std::move(fd));
}

ControlSocket::~ControlSocket() {
    if (fd_.valid()) ::unlink(path_.c_str());
}

void ControlSocket::on_readable(const Handler& handler) {
    UniqueFd client(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!client.valid()) return;
    std::string command;
    char buf[kMaxCommand];
    // One short line; a client that does not send it promptly is dropped so
    // the packet path is never held up for long.
    while (command.find('\n') == std::string::npos && command.size() < kMaxCommand &&
           wait_fd(client.get(), POLLIN, kClientWaitMs)) {
        ssize_t n = ::recv(client.get(), buf, sizeof buf, 0);
        if (n <= 0) break;
        command.append(buf, static_cast<size_t>(n));
    }
    if (size_t nl = command.find('\n'); nl != std::string::npos) command.resize(nl);
    send_all(client.get(), handler(command));
}

Result<std::string> control_request(const std::string& path, const std::string& command, size_t max_reply) {
    auto addr = make_address(path);
    if (!addr) return addr.error();
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return Error{errno_message("socket", errno)};
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&*addr), sizeof *addr) < 0)
        return Error{errno_message("no daemon answers at " + path, errno)};
    std::string line = command + "\n";
    if (::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL) < 0) return Error{errno_message("send", errno)};
    std::string reply;
    char buf[4096];
    while (wait_fd(fd.get(), POLLIN, kServerWaitMs)) {
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n <= 0) break;
        if (reply.size() + static_cast<size_t>(n) > max_reply)
            return Error{"the answer at " + path + " is longer than " + std::to_string(max_reply) + " bytes"};
        reply.append(buf, static_cast<size_t>(n));
    }
    return reply;
}

}  // namespace tvpn
