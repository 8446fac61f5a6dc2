#include "vnddconfig/show_json.h"

#include "vnddconfig/json_writer.h"

namespace tvpn {
namespace {

template <typename T>
void optional_number(JsonWriter& w, const std::optional<T>& v) {
    if (v) w.number(*v);
    else w.null();
}

template <size_t N>
void drops(JsonWriter& w, const std::array<uint64_t, N>& counts, const char* (*name)(size_t)) {
    w.key("drops").begin_object();
    for (size_t i = 0; i < N; ++i) w.key(name(i)).number(counts[i]);
    w.end_object();
}

void peer(JsonWriter& w, const PeerReport& p) {
    w.begin_object();
    w.key("name").string(p.name);
    w.key("endpoint");
    if (p.endpoint.empty()) w.null();
    else w.string(p.endpoint);
    w.key("endpoint_learned").boolean(p.endpoint_learned);
    w.key("codec").string(p.codec);
    w.key("state").string(peer_state_name(p.state));
    w.key("last_handshake_seconds_ago");
    if (p.last_handshake_ms) w.thousandths(*p.last_handshake_ms);
    else w.null();
    w.key("last_receive_seconds_ago");
    if (p.last_receive_ms) w.thousandths(*p.last_receive_ms);
    else w.null();
    w.key("path_mtu");
    optional_number(w, p.path_mtu);
    for (const auto& c : peer_counters()) w.key(c.key).number(p.*c.member);
    drops(w, p.drops, peer_drop_name);
    w.end_object();
}

void interface(JsonWriter& w, const ShownInterface& shown) {
    w.begin_object();
    w.key("name").string(shown.name);
    w.key("daemon").boolean(shown.report.has_value());
    if (!shown.report) {
        w.key("error").string(shown.problem);
        w.end_object();
        return;
    }
    const InterfaceReport& r = *shown.report;
    w.key("backend").string(r.backend);
    w.key("mtu").number(r.mtu);
    w.key("listen").begin_array();
    for (const auto& l : r.listen) w.string(l);
    w.end_array();
    drops(w, r.drops, interface_drop_name);
    w.key("peers").begin_array();
    for (const auto& p : r.peers) peer(w, p);
    w.end_array();
    w.end_object();
}

}  // namespace

std::string show_json(const std::vector<ShownInterface>& interfaces) {
    JsonWriter w;
    w.begin_object().key("schema").string("tvpn-show").key("version").number(1);
    w.key("interfaces").begin_array();
    for (const auto& i : interfaces) interface(w, i);
    w.end_array().end_object();
    return w.text() + "\n";
}

}  // namespace tvpn
