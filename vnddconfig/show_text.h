// `vnddconfig show` for people: per interface its backend, MTU and listen
// addresses; per peer its state, endpoint, last handshake, traffic in human
// units, drops by reason (only those that happened), path MTU, fragments.
#pragma once

#include <string>
#include <vector>

#include "vnddconfig/show_model.h"

namespace tvpn {

std::string show_text(const std::vector<ShownInterface>& interfaces);

}  // namespace tvpn
