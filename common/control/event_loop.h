// A small epoll loop: file descriptors with handlers, run until stopped.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace tvpn {

class EventLoop {
public:
    using Handler = std::function<void(uint32_t events)>;

    static Result<EventLoop> create();

    // Level-triggered EPOLLIN by default.
    Status add(int fd, Handler handler, uint32_t events = 0);
    // Safe from inside a handler, even the fd's own: the handler is kept
    // until the current dispatch ends and is not called again.
    void remove(int fd);

    // Waits at most `timeout_ms` (-1: forever) and runs the ready handlers.
    Status run_once(int timeout_ms);
    void stop() { stopped_ = true; }
    bool stopped() const { return stopped_; }

private:
    explicit EventLoop(UniqueFd epfd) : epfd_(std::move(epfd)) {}
    UniqueFd epfd_;
    std::map<int, Handler> handlers_;
    std::vector<int> removed_;  // removed during the current dispatch
    bool dispatching_ = false;
    bool stopped_ = false;
};

}  // namespace tvpn
