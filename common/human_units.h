// Numbers for people (vnddconfig show, the service status line): bytes in binary units, ages in
// the two largest units that matter.
#pragma once

#include <cstdint>
#include <string>

namespace tvpn {

// "512 B", "1.5 KiB", "12.0 MiB", "3.2 GiB", "1.1 TiB".
std::string human_bytes(uint64_t bytes);
// "0.4 s ago", "42 s ago", "3 min 2 s ago", "5 h 3 min ago", "2 d 3 h ago".
std::string human_age(uint64_t age_ms);

}  // namespace tvpn
