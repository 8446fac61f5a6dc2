// What `vnddconfig show` found for one interface: its daemon's report, or
// why there is none. The text, JSON and Prometheus writers print these.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/control/stats_report.h"

namespace tvpn {

struct ShownInterface {
    std::string name;
    std::optional<InterfaceReport> report;  // nullopt: no daemon answered for it
    std::string problem;                    // then why (for people)
};

}  // namespace tvpn
