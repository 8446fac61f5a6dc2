// parse_config on arbitrary bytes (a configuration file is what a user
// typed, or whatever a wrong path points at). It must not crash, and it
// returns either a configuration that keeps the format's promises or one
// error of one line, "fuzz.conf:N: ...", with N a line of the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "common/config/hook_command.h"
#include "common/config/tvpn_config.h"

using namespace tvpn::config;

namespace {

constexpr std::string_view kSource = "fuzz.conf";

size_t line_count(std::string_view text) {
    size_t n = 0;
    for (char c : text) n += c == '\n';
    if (!text.empty() && text.back() != '\n') ++n;
    return n;
}

void check_error(const std::string& message, std::string_view text) {
    if (message.rfind(std::string(kSource) + ":", 0) != 0) std::abort();
    const size_t start = kSource.size() + 1;
    const size_t colon = message.find(':', start);
    if (colon == std::string::npos || colon == start || colon - start > 10) std::abort();
    size_t line = 0;
    for (size_t i = start; i < colon; ++i) {
        if (message[i] < '0' || message[i] > '9') std::abort();
        line = line * 10 + static_cast<size_t>(message[i] - '0');
    }
    if (line < 1 || line > std::max<size_t>(1, line_count(text))) std::abort();
    for (char c : message)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') std::abort();  // one line, no control bytes
}

void check_config(const TvpnConfig& c) {
    const auto& i = c.interface;
    if (i.name.empty() || check_config_ifname(i.name)) std::abort();
    if (i.mtu < kConfigMinMtu || i.mtu > kConfigMaxMtu || i.listen_port == 0) std::abort();
    if (i.addresses.size() > kMaxAddresses || i.bridge == i.name) std::abort();
    for (const auto* hooks : {&i.hooks.pre_up, &i.hooks.post_up, &i.hooks.pre_down, &i.hooks.post_down})
        for (const auto& h : *hooks)
            if (check_hook(h) || expand_hook(h, i.name).empty()) std::abort();
    if (c.peers.empty() || c.peers.size() > kMaxPeers) std::abort();
    std::set<std::string> names;
    for (const auto& p : c.peers) {
        if (!names.insert(p.name).second || check_peer_name(p.name)) std::abort();
        if (p.endpoint.any && (p.password_file.empty() || i.cipher == "des")) std::abort();
        if (!i.cipher.empty() && p.password_file.empty()) std::abort();
        if (p.keepalive && (*p.keepalive < 0 || *p.keepalive > kMaxKeepalive)) std::abort();
        if (!p.endpoint.any && p.endpoint.port == 0) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = parse_config(text, kSource);
    if (r) check_config(*r);
    else check_error(r.error().message, text);
    return 0;
}
