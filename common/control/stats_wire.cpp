#include "common/control/stats_wire.h"

#include <arpa/inet.h>

#include <charconv>
#include <limits>

#include "common/config/config_values.h"
#include "common/device/netif_spec.h"

namespace tvpn {
namespace {

constexpr std::string_view kHeader = "tvpn-stats 1";
constexpr std::string_view kEnd = "end";
constexpr std::string_view kNone = "-";
constexpr size_t kMaxPairs = 64;  // per line: a peer has about 40

// ---- Writing ----

void put(std::string& out, std::string_view key, std::string_view value) {
    out += ' ';
    out.append(key);
    out += '=';
    out.append(value.empty() ? kNone : value);
}

void put(std::string& out, std::string_view key, uint64_t value) { put(out, key, std::to_string(value)); }

template <typename T>
void put(std::string& out, std::string_view key, const std::optional<T>& value) {
    put(out, key, value ? std::to_string(*value) : std::string(kNone));
}

template <size_t N>
void put_drops(std::string& out, const std::array<uint64_t, N>& drops, const char* (*name)(size_t)) {
    for (size_t i = 0; i < N; ++i) put(out, std::string("drop.") + name(i), drops[i]);
}

void write_peer(std::string& out, const PeerReport& p) {
    out += "peer";
    put(out, "name", p.name);
    put(out, "endpoint", p.endpoint);
    put(out, "learned", p.endpoint_learned ? "1" : "0");
    put(out, "codec", p.codec);
    put(out, "state", peer_state_name(p.state));
    put(out, "last_handshake_ms", p.last_handshake_ms);
    put(out, "last_receive_ms", p.last_receive_ms);
    put(out, "path_mtu", p.path_mtu);
    for (const auto& c : peer_counters()) put(out, c.key, p.*c.member);
    put_drops(out, p.drops, peer_drop_name);
    out += '\n';
}

// ---- Reading ----

// One line's pairs, each taken once; what is left over is unknown.
class Pairs {
public:
    Status split(std::string_view rest) {
        while (!rest.empty()) {
            if (rest[0] != ' ') return Error{"expected one space before each key=value"};
            rest.remove_prefix(1);
            const size_t end = std::min(rest.find(' '), rest.size());
            const std::string_view pair = rest.substr(0, end);
            rest.remove_prefix(end);
            if (pair.empty()) return Error{"an empty pair (two spaces, or a space at the end)"};
            const size_t eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size())
                return Error{"'" + std::string(pair.substr(0, 40)) + "' is not key=value"};
            if (pairs_.size() == kMaxPairs) return Error{"more than " + std::to_string(kMaxPairs) + " pairs"};
            const std::string_view key = pair.substr(0, eq);
            for (const auto& p : pairs_)
                if (p.key == key) return Error{"key " + std::string(key) + " given twice"};
            pairs_.push_back({key, pair.substr(eq + 1), false});
        }
        return {};
    }
    Result<std::string_view> take(std::string_view key) {
        for (auto& p : pairs_)
            if (p.key == key) {
                p.taken = true;
                return p.value;
            }
        return Error{"key " + std::string(key) + " missing"};
    }
    Status all_taken() const {
        for (const auto& p : pairs_)
            if (!p.taken) return Error{"unknown key " + std::string(p.key)};
        return {};
    }

private:
    struct Pair {
        std::string_view key, value;
        bool taken;
    };
    std::vector<Pair> pairs_;
};

Result<uint64_t> number(std::string_view key, std::string_view v, uint64_t max = std::numeric_limits<uint64_t>::max()) {
    uint64_t n = 0;
    const bool digits = !v.empty() && v.size() <= 20 && (v.size() == 1 || v[0] != '0');
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (!digits || ec != std::errc() || ptr != v.data() + v.size() || n > max)
        return Error{std::string(key) + "=" + std::string(v.substr(0, 24)) + " is not a number up to " +
                     std::to_string(max)};
    return n;
}

Status take_number(Pairs& in, std::string_view key, uint64_t& out, uint64_t max = std::numeric_limits<uint64_t>::max()) {
    auto v = in.take(key);
    if (!v) return v.error();
    auto n = number(key, *v, max);
    if (!n) return n.error();
    out = *n;
    return {};
}

template <typename T>
Status take_optional(Pairs& in, std::string_view key, std::optional<T>& out, uint64_t max = std::numeric_limits<T>::max()) {
    auto v = in.take(key);
    if (!v) return v.error();
    if (*v == kNone) {
        out.reset();
        return {};
    }
    auto n = number(key, *v, max);
    if (!n) return n.error();
    out = static_cast<T>(*n);
    return {};
}

// "198.51.100.2:33000", "[2001:db8::2]:33000", "[fe80::2%eth0]:33000": Endpoint::to_string's forms.
bool valid_endpoint(std::string_view text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.size() > 80) return false;
    const std::string_view port = text.substr(colon + 1);
    if (!number("port", port, 65535)) return false;
    std::string host(text.substr(0, colon));
    uint8_t addr[16];
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
        if (const size_t pct = host.find('%'); pct != std::string::npos) {
            if (check_ifname(std::string_view(host).substr(pct + 1))) return false;
            host.resize(pct);
        }
        return ::inet_pton(AF_INET6, host.c_str(), addr) == 1;
    }
    return ::inet_pton(AF_INET, host.c_str(), addr) == 1;
}

Status take_endpoint(Pairs& in, std::string_view key, std::string& out, bool optional) {
    auto v = in.take(key);
    if (!v) return v.error();
    if (optional && *v == kNone) {
        out.clear();
        return {};
    }
    if (!valid_endpoint(*v)) return Error{std::string(key) + "=" + std::string(v->substr(0, 40)) + " is not an address:port"};
    out = std::string(*v);
    return {};
}

template <typename Names>
Status take_choice(Pairs& in, std::string_view key, Names names, size_t count, size_t& out) {
    auto v = in.take(key);
    if (!v) return v.error();
    for (size_t i = 0; i < count; ++i)
        if (*v == names(i)) {
            out = i;
            return {};
        }
    return Error{std::string(key) + "=" + std::string(v->substr(0, 24)) + " is not a known value"};
}

template <size_t N>
Status take_drops(Pairs& in, std::array<uint64_t, N>& drops, const char* (*name)(size_t)) {
    for (size_t i = 0; i < N; ++i)
        if (auto st = take_number(in, std::string("drop.") + name(i), drops[i]); !st) return st;
    return {};
}

Status take_listen(Pairs& in, std::vector<std::string>& listen) {
    auto v = in.take("listen");
    if (!v) return v.error();
    if (*v == kNone) return {};
    std::string_view rest = *v;
    while (true) {
        const size_t comma = std::min(rest.find(','), rest.size());
        if (listen.size() == kMaxListenAddresses) return Error{"more than " + std::to_string(kMaxListenAddresses) + " listen addresses"};
        if (!valid_endpoint(rest.substr(0, comma))) return Error{"listen=" + std::string(v->substr(0, 40)) + ": not address:port,..."};
        listen.emplace_back(rest.substr(0, comma));
        if (comma == rest.size()) return {};
        rest.remove_prefix(comma + 1);
    }
}

Result<InterfaceReport> read_interface(Pairs& in) {
    InterfaceReport r;
    auto name = in.take("name");
    if (!name) return name.error();
    if (auto bad = check_ifname(*name)) return *bad;
    r.name = std::string(*name);
    size_t backend = 0;
    static constexpr const char* kBackends[] = {"tap", "vndd"};
    if (auto st = take_choice(in, "backend", [](size_t i) { return kBackends[i]; }, 2, backend); !st) return Error{st.message()};
    r.backend = kBackends[backend];
    uint64_t mtu = 0;
    if (auto st = take_number(in, "mtu", mtu, 65535); !st) return Error{st.message()};
    r.mtu = static_cast<uint32_t>(mtu);
    if (auto st = take_listen(in, r.listen); !st) return Error{st.message()};
    if (auto st = take_drops(in, r.drops, interface_drop_name); !st) return Error{st.message()};
    return r;
}

// A peer's name: as -name and Name = allow, or its interface's (the default).
Status take_peer_name(Pairs& in, const std::string& ifname, std::string& out) {
    auto name = in.take("name");
    if (!name) return name.error();
    if (*name != ifname && config::check_peer_name(*name)) return Error{"name=" + std::string(name->substr(0, 40)) + " is not a peer name"};
    out = std::string(*name);
    return {};
}

Result<PeerReport> read_peer(Pairs& in, const std::string& ifname) {
    PeerReport p;
    static constexpr const char* kCodecs[] = {"clear", "des", "pwd"};
    static constexpr const char* kFlags[] = {"0", "1"};
    size_t codec = 0, learned = 0, state = 0;
    Status st = take_peer_name(in, ifname, p.name);
    if (st) st = take_endpoint(in, "endpoint", p.endpoint, true);
    if (st) st = take_choice(in, "learned", [](size_t i) { return kFlags[i]; }, 2, learned);
    if (st) st = take_choice(in, "codec", [](size_t i) { return kCodecs[i]; }, 3, codec);
    if (st) st = take_choice(in, "state", [](size_t i) { return peer_state_name(static_cast<PeerState>(i)); },
                             static_cast<size_t>(PeerState::Count), state);
    if (st) st = take_optional(in, "last_handshake_ms", p.last_handshake_ms);
    if (st) st = take_optional(in, "last_receive_ms", p.last_receive_ms);
    if (st) st = take_optional(in, "path_mtu", p.path_mtu, 65535);
    for (const auto& c : peer_counters())
        if (st) st = take_number(in, c.key, p.*c.member);
    if (st) st = take_drops(in, p.drops, peer_drop_name);
    if (!st) return Error{st.message()};
    p.endpoint_learned = learned == 1;
    p.codec = kCodecs[codec];
    p.state = static_cast<PeerState>(state);
    return p;
}

// Adds one line ("interface ..." or "peer ...") to what was read so far.
Status read_line(std::string_view line, std::vector<InterfaceReport>& out) {
    const size_t space = std::min(line.find(' '), line.size());
    const std::string_view kind = line.substr(0, space);
    Pairs in;
    if (auto st = in.split(line.substr(space)); !st) return st;
    if (kind == "interface") {
        if (out.size() == kMaxStatsInterfaces) return Error{"more than " + std::to_string(kMaxStatsInterfaces) + " interfaces"};
        auto r = read_interface(in);
        if (!r) return r.error();
        for (const auto& ifc : out)
            if (ifc.name == r->name) return Error{"interface " + r->name + " twice"};
        out.push_back(std::move(*r));
    } else if (kind == "peer") {
        if (out.empty()) return Error{"a peer before any interface"};
        auto& ifc = out.back();
        if (ifc.peers.size() == kMaxStatsPeers) return Error{"more than " + std::to_string(kMaxStatsPeers) + " peers"};
        auto p = read_peer(in, ifc.name);
        if (!p) return p.error();
        for (const auto& other : ifc.peers)
            if (other.name == p->name) return Error{"peer " + p->name + " twice"};
        ifc.peers.push_back(std::move(*p));
    } else {
        return Error{"unknown line '" + std::string(kind.substr(0, 24)) + "'"};
    }
    return in.all_taken();
}

}  // namespace

std::string write_stats(const std::vector<InterfaceReport>& interfaces) {
    std::string out(kHeader);
    out += '\n';
    for (const auto& ifc : interfaces) {
        out += "interface";
        put(out, "name", ifc.name);
        put(out, "backend", ifc.backend);
        put(out, "mtu", ifc.mtu);
        std::string listen;
        for (const auto& l : ifc.listen) listen += (listen.empty() ? "" : ",") + l;
        put(out, "listen", listen);
        put_drops(out, ifc.drops, interface_drop_name);
        out += '\n';
        for (const auto& p : ifc.peers) write_peer(out, p);
    }
    out.append(kEnd);
    out += '\n';
    return out;
}

Result<std::vector<InterfaceReport>> parse_stats(std::string_view text) {
    if (text.size() > kMaxStatsReply) return Error{"stats reply over " + std::to_string(kMaxStatsReply) + " bytes"};
    std::vector<InterfaceReport> out;
    size_t number = 0;
    bool ended = false;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        if (nl == std::string_view::npos) return Error{"stats reply: the last line does not end"};
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        const std::string where = "stats reply line " + std::to_string(++number) + ": ";
        if (line.size() > kMaxStatsLine) return Error{where + "longer than " + std::to_string(kMaxStatsLine) + " bytes"};
        if (ended) return Error{where + "text after the end"};
        if (number == 1) {
            if (line != kHeader) return Error{where + "not a '" + std::string(kHeader) + "' reply"};
        } else if (line == kEnd) {
            ended = true;
        } else if (auto st = read_line(line, out); !st) {
            return Error{where + st.message()};
        }
    }
    if (!ended) return Error{"stats reply: cut short (no '" + std::string(kEnd) + "' line)"};
    return out;
}

}  // namespace tvpn
