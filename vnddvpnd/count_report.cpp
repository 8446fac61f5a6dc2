#include "vnddvpnd/count_report.h"

namespace tvpn {

CountReport::Due CountReport::due(uint64_t counter, uint64_t now_ns, uint64_t interval_ns) {
    if (counter <= reported_) return {};
    if (started_ && now_ns - last_ns_ < interval_ns) return {};
    const Due d{counter - reported_, started_ ? now_ns - last_ns_ : 0};
    reported_ = counter;
    last_ns_ = now_ns;
    started_ = true;
    return d;
}

}  // namespace tvpn
