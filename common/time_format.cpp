#include "common/time_format.h"

#include <cstdio>

namespace tvpn {

std::string seconds_ago(uint64_t then_ns, uint64_t now_ns) {
    if (then_ns == 0) return "never";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s ago", static_cast<double>(now_ns - then_ns) / 1e9);
    return buf;
}

}  // namespace tvpn
