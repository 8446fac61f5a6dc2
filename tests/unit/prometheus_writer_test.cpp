// The Prometheus text writer and `vnddconfig show --prometheus`: names,
// escaping, one HELP and TYPE per family with its samples together, and
// every field of the reports as a metric.
#include "vnddconfig/prometheus_writer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/unit/stats_fixture.h"
#include "vnddconfig/show_prometheus.h"
#include "vnddconfig/utf8.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST(PrometheusNames, FollowTheFormat) {
    for (const char* ok : {"tvpn_peer_receive_bytes_total", "a", "_x", "ns:sub:name", "A9_"})
        EXPECT_TRUE(valid_metric_name(ok)) << ok;
    for (const char* bad : {"", "9a", "a-b", "a b", "a.b", "caf\xc3\xa9"}) EXPECT_FALSE(valid_metric_name(bad)) << bad;
    EXPECT_TRUE(valid_label_name("interface"));
    EXPECT_FALSE(valid_label_name("a:b"));
    EXPECT_FALSE(valid_label_name("__name__"));  // reserved
}

TEST(PrometheusEscaping, LabelValuesAndHelp) {
    EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
    EXPECT_EQ(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");
    EXPECT_EQ(escape_label_value("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(escape_label_value("x\xff"), "x" + std::string(kReplacementCharacter));
}

TEST(PrometheusWriter, GroupsEachFamilysSamplesUnderOneHelpAndType) {
    PrometheusWriter w;
    const size_t a = w.family("t_a_total", PrometheusWriter::Type::Counter, "A\ncounter.");
    const size_t b = w.family("t_b", PrometheusWriter::Type::Gauge, "B.");
    const size_t unused = w.family("t_unused", PrometheusWriter::Type::Gauge, "Never sampled.");
    (void)unused;
    w.sample(a, {{"interface", "v\"1"}}, 1);
    w.sample(b, {}, 7);
    w.sample(a, {{"interface", "v2"}}, UINT64_MAX);
    w.sample_thousandths(b, {{"x", "y"}}, 1712345678123);
    EXPECT_EQ(w.text(),
              "# HELP t_a_total A\\ncounter.\n"
              "# TYPE t_a_total counter\n"
              "t_a_total{interface=\"v\\\"1\"} 1\n"
              "t_a_total{interface=\"v2\"} 18446744073709551615\n"
              "# HELP t_b B.\n"
              "# TYPE t_b gauge\n"
              "t_b 7\n"
              "t_b{x=\"y\"} 1712345678.123\n");
}

TEST(PrometheusWriter, LeavesOutWhatWouldBeMalformed) {
    PrometheusWriter w;
    w.sample(w.family("bad-name", PrometheusWriter::Type::Gauge, "x"), {}, 1);
    const size_t ok = w.family("ok", PrometheusWriter::Type::Gauge, "x");
    w.sample(ok, {{"bad-label", "v"}}, 1);
    w.sample(ok, {{"good", "v"}}, 2);
    EXPECT_EQ(w.text(), "# HELP ok x\n# TYPE ok gauge\nok{good=\"v\"} 2\n");
}

TEST(ShowPrometheus, EveryFieldIsAMetricWithHelpAndType) {
    InterfaceReport r = sample_interface();
    r.name = "vl\"an\\3";
    const uint64_t now_ms = 1712345678000;
    const std::string text = show_prometheus({{r.name, r, {}}, {"vlan9", std::nullopt, "none"}}, now_ms);
    const std::string ifc = "interface=\"vl\\\"an\\\\3\"";
    const auto has = [&](const std::string& line) {
        EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << "\nin:\n" << text;
    };
    has("tvpn_interface_daemon_up{" + ifc + "} 1");
    has("tvpn_interface_daemon_up{interface=\"vlan9\"} 0");
    has("tvpn_interface_info{" + ifc + ",backend=\"tap\"} 1");
    has("tvpn_interface_mtu_bytes{" + ifc + "} 1500");
    has("tvpn_interface_listen_info{" + ifc + ",listen=\"[2001:db8::1]:33001\"} 1");
    for (size_t i = 0; i < kInterfaceDrops; ++i)
        has("tvpn_interface_drops_total{" + ifc + ",reason=\"" + interface_drop_name(i) + "\"} " + std::to_string(r.drops[i]));
    for (const PeerReport& p : r.peers) {
        const std::string id = ifc + ",peer=\"" + p.name + "\"";
        has("tvpn_peer_info{" + id + ",codec=\"" + p.codec + "\",endpoint=\"" + p.endpoint + "\"} 1");
        for (size_t s = 0; s < static_cast<size_t>(PeerState::Count); ++s) {
            const auto st = static_cast<PeerState>(s);
            has("tvpn_peer_state{" + id + ",state=\"" + peer_state_name(st) + "\"} " + (p.state == st ? "1" : "0"));
        }
        for (const auto& c : peer_counters())
            has("tvpn_peer_" + std::string(c.key) + "_total{" + id + "} " + std::to_string(p.*c.member));
        for (size_t i = 0; i < kPeerDrops; ++i)
            has("tvpn_peer_drops_total{" + id + ",reason=\"" + peer_drop_name(i) + "\"} " + std::to_string(p.drops[i]));
    }
    // Ages become timestamps; what a peer lacks has no sample.
    has("tvpn_peer_last_handshake_timestamp_seconds{" + ifc + ",peer=\"site-b\"} 1712345676.999");
    has("tvpn_peer_last_receive_timestamp_seconds{" + ifc + ",peer=\"site-c\"} 1712345675.998");
    has("tvpn_peer_path_mtu_bytes{" + ifc + ",peer=\"site-b\"} 1400");
    EXPECT_EQ(text.find("tvpn_peer_last_handshake_timestamp_seconds{" + ifc + ",peer=\"site-c\"}"), std::string::npos);
    EXPECT_EQ(text.find("tvpn_peer_path_mtu_bytes{" + ifc + ",peer=\"site-c\"}"), std::string::npos);

    // Each family: HELP, then TYPE, then only its own samples; never seen again.
    std::vector<std::string> seen;
    std::string current;
    for (const std::string& l : lines_of(text)) {
        if (l.rfind("# HELP ", 0) == 0) {
            current = l.substr(7, l.find(' ', 7) - 7);
            EXPECT_TRUE(valid_metric_name(current)) << current;
            EXPECT_EQ(std::find(seen.begin(), seen.end(), current), seen.end()) << current << " twice";
            seen.push_back(current);
        } else if (l.rfind("# TYPE ", 0) == 0) {
            const std::string type = l.substr(7 + current.size() + 1);
            EXPECT_EQ(l.substr(7, current.size()), current);
            EXPECT_TRUE(type == "counter" || type == "gauge") << l;
            EXPECT_EQ(type == "counter", current.ends_with("_total")) << l;
        } else {
            const std::string name = l.substr(0, std::min(l.find('{'), l.find(' ')));
            EXPECT_EQ(name, current) << l;
        }
    }
}

TEST(ShowPrometheus, NothingRunningIsAnEmptyFile) { EXPECT_EQ(show_prometheus({}, 1), ""); }
