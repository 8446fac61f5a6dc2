#include "common/control/event_loop.h"

#include <sys/epoll.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace tvpn {

Result<EventLoop> EventLoop::create() {
    UniqueFd fd(::epoll_create1(EPOLL_CLOEXEC));
    if (!fd.valid()) return Error{errno_message("epoll_create1", errno)};
    return EventLoop(std::move(fd));
}

Status EventLoop::add(int fd, Handler handler, uint32_t events) {
    epoll_event ev{};
    ev.events = events ? events : EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) return Error{errno_message("epoll_ctl", errno)};
    handlers_[fd] = std::move(handler);
    return {};
}

void EventLoop::remove(int fd) {
    ::epoll_ctl(epfd_.get(), EPOLL_CTL_DEL, fd, nullptr);
    if (dispatching_)
        removed_.push_back(fd);
    else
        handlers_.erase(fd);
}

Status EventLoop::run_once(int timeout_ms) {
    std::array<epoll_event, 16> events{};
    int n = ::epoll_wait(epfd_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
    if (n < 0) {
        if (errno == EINTR) return {};
        return Error{errno_message("epoll_wait", errno)};
    }
    dispatching_ = true;
    for (int i = 0; i < n && !stopped_; ++i) {
        const int fd = events[i].data.fd;
        if (std::find(removed_.begin(), removed_.end(), fd) != removed_.end()) continue;
        auto it = handlers_.find(fd);
        if (it != handlers_.end()) it->second(events[i].events);
    }
    dispatching_ = false;
    for (int fd : removed_) handlers_.erase(fd);
    removed_.clear();
    return {};
}

}  // namespace tvpn
