// The interactive console of a foreground vnddvpnd on a terminal
// (help, usage, status, quit) and the status report it shares with SIGUSR1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/datapath/datapath.h"

namespace tvpn {

// One block per tunnel: endpoints, traffic, drops by reason, peer silence.
// Every interface's status, or only that of `only` (empty if the daemon does not serve it).
std::string format_status(const Datapath& datapath, uint64_t now_ns, std::string_view only = {});

class Console {
public:
    Console(const Datapath& datapath, EventLoop& loop) : datapath_(datapath), loop_(loop) {}
    // Reads and runs the commands available on stdin.
    void on_input();
    void prompt();

private:
    void run(const std::string& line);
    const Datapath& datapath_;
    EventLoop& loop_;
    std::string pending_;
};

}  // namespace tvpn
