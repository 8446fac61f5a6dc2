#include "common/config/hook_command.h"

namespace tvpn::config {

std::optional<Error> check_hook(std::string_view command) {
    if (command.empty()) return Error{"the command is empty"};
    for (size_t i = 0; i < command.size(); ++i) {
        if (command[i] != '%') continue;
        const char next = i + 1 < command.size() ? command[i + 1] : '\0';
        if (next != 'i' && next != '%') {
            const std::string seq = next ? std::string{'%', next} : std::string{'%'};
            return Error{"'" + seq + "' is not a placeholder (%i is the interface, %% a percent sign)"};
        }
        ++i;
    }
    return std::nullopt;
}

std::string expand_hook(std::string_view command, std::string_view ifname) {
    std::string out;
    out.reserve(command.size() + ifname.size());
    for (size_t i = 0; i < command.size(); ++i) {
        if (command[i] == '%' && i + 1 < command.size()) {
            const char next = command[++i];
            if (next == 'i') {
                out += ifname;
                continue;
            }
            out += next;  // "%%": a percent sign
            continue;
        }
        out += command[i];
    }
    return out;
}

}  // namespace tvpn::config
