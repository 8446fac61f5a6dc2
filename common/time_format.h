// How status texts show a past moment: "3.2 s ago", or "never" for 0.
#pragma once

#include <cstdint>
#include <string>

namespace tvpn {

std::string seconds_ago(uint64_t then_ns, uint64_t now_ns);

}  // namespace tvpn
