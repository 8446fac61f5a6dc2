// A counter turned into log lines at most once per interval: the first
// increase at once, later ones summed up since the line before.
#pragma once

#include <cstdint>

namespace tvpn {

class CountReport {
public:
    struct Due {
        uint64_t count = 0;       // to report now; 0: nothing (yet)
        uint64_t since_ns = 0;    // the time since the previous line; 0: the first line
    };
    Due due(uint64_t counter, uint64_t now_ns, uint64_t interval_ns);
    // What the counter holds already is not to be reported.
    void start(uint64_t counter) { reported_ = counter; }

private:
    uint64_t reported_ = 0;
    uint64_t last_ns_ = 0;
    bool started_ = false;
};

}  // namespace tvpn
