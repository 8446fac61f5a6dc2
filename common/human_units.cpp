#include "common/human_units.h"

#include <cstdio>

namespace tvpn {

std::string human_bytes(uint64_t bytes) {
    static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return std::to_string(bytes) + " B";
    double v = static_cast<double>(bytes) / 1024;
    size_t unit = 0;
    // Past 1023.95 the value would print as 1024.0: the next unit's 1.0.
    while (v >= 1023.95 && unit + 1 < std::size(kUnits)) {
        v /= 1024;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
    return buf;
}

std::string human_age(uint64_t age_ms) {
    char buf[48];
    const uint64_t s = age_ms / 1000;
    if (s < 10) {
        std::snprintf(buf, sizeof buf, "%llu.%llu s ago", static_cast<unsigned long long>(s),
                      static_cast<unsigned long long>(age_ms % 1000 / 100));
    } else if (s < 60) {
        std::snprintf(buf, sizeof buf, "%llu s ago", static_cast<unsigned long long>(s));
    } else if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%llu min %llu s ago", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    } else if (s < 86400) {
        std::snprintf(buf, sizeof buf, "%llu h %llu min ago", static_cast<unsigned long long>(s / 3600),
                      static_cast<unsigned long long>(s % 3600 / 60));
    } else {
        std::snprintf(buf, sizeof buf, "%llu d %llu h ago", static_cast<unsigned long long>(s / 86400),
                      static_cast<unsigned long long>(s % 86400 / 3600));
    }
    return buf;
}

}  // namespace tvpn
