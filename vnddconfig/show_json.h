// `vnddconfig show --json`: one JSON document (schema in vnddconfig(8)):
//   {"schema":"tvpn-show","version":1,"interfaces":[{"name":"vlan3","daemon":true,
//    "backend":"tap","mtu":1500,"listen":[...],"drops":{...},"peers":[{...}]}]}
// Counters and bytes are integers, times are seconds (ages, with
// milliseconds), a value that does not apply is null.
#pragma once

#include <string>
#include <vector>

#include "vnddconfig/show_model.h"

namespace tvpn {

std::string show_json(const std::vector<ShownInterface>& interfaces);

}  // namespace tvpn
