// The daemon's "stats" reply: what it writes reads back to the same reports,
// and the reader refuses anything malformed (the socket's bytes are input).
#include "common/control/stats_wire.h"

#include <gtest/gtest.h>

#include "tests/unit/stats_fixture.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

void expect_same(const PeerReport& a, const PeerReport& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.endpoint, b.endpoint);
    EXPECT_EQ(a.endpoint_learned, b.endpoint_learned);
    EXPECT_EQ(a.codec, b.codec);
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.last_handshake_ms, b.last_handshake_ms);
    EXPECT_EQ(a.last_receive_ms, b.last_receive_ms);
    EXPECT_EQ(a.path_mtu, b.path_mtu);
    for (const auto& c : peer_counters()) EXPECT_EQ(a.*c.member, b.*c.member) << c.key;
    EXPECT_EQ(a.drops, b.drops);
}

std::string valid_reply() { return write_stats({sample_interface()}); }

// The valid reply with the first `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

void expect_refused(const std::string& text, const std::string& why) {
    auto r = parse_stats(text);
    EXPECT_FALSE(r) << "accepted: " << text.substr(0, 200);
    if (!r) {
        EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
    }
}

}  // namespace

TEST(StatsWire, EveryFieldReadsBackAsWritten) {
    const InterfaceReport in = sample_interface();
    auto out = parse_stats(write_stats({in, [] {
                                            InterfaceReport second = sample_interface();
                                            second.name = "vlan4";
                                            second.backend = "vndd";
                                            second.peers.resize(1);
                                            return second;
                                        }()}));
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_EQ(out->size(), 2u);
    const InterfaceReport& r = (*out)[0];
    EXPECT_EQ(r.name, in.name);
    EXPECT_EQ(r.backend, in.backend);
    EXPECT_EQ(r.mtu, in.mtu);
    EXPECT_EQ(r.listen, in.listen);
    EXPECT_EQ(r.drops, in.drops);
    ASSERT_EQ(r.peers.size(), 2u);
    for (size_t i = 0; i < 2; ++i) expect_same(r.peers[i], in.peers[i]);
    EXPECT_EQ((*out)[1].name, "vlan4");
    EXPECT_EQ((*out)[1].backend, "vndd");
    EXPECT_EQ((*out)[1].peers.size(), 1u);
}

TEST(StatsWire, NothingServedIsAnEmptyReport) {
    auto out = parse_stats(write_stats({}));
    ASSERT_TRUE(out);
    EXPECT_TRUE(out->empty());
}

TEST(StatsWire, AnInterfaceNameWithOddBytesAndAPeerNamedAfterItReadBack) {
    InterfaceReport in = sample_interface();
    in.name = "v\"l=\\\xc3\xa9";
    in.peers[0].name = in.name;  // a peer without -name is named after its interface
    auto out = parse_stats(write_stats({in}));
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ((*out)[0].name, in.name);
    EXPECT_EQ((*out)[0].peers[0].name, in.name);
}

TEST(StatsWire, LargestCounterReadsBack) {
    InterfaceReport in = sample_interface();
    in.peers[0].receive_bytes = UINT64_MAX;
    auto out = parse_stats(write_stats({in}));
    ASSERT_TRUE(out);
    EXPECT_EQ((*out)[0].peers[0].receive_bytes, UINT64_MAX);
}

TEST(StatsWire, FramingErrorsAreRefused) {
    const std::string ok = valid_reply();
    expect_refused("", "cut short");
    expect_refused("tvpn-stats 2\nend\n", "not a 'tvpn-stats 1' reply");
    expect_refused("error: this vnddvpnd does not serve vlan9\n", "not a 'tvpn-stats 1' reply");
    expect_refused(ok.substr(0, ok.size() - 4), "cut short");       // no end line
    expect_refused(ok.substr(0, ok.size() - 1), "does not end");    // no final newline
    expect_refused(ok + "end\n", "text after the end");
    expect_refused(with(ok, "\ninterface ", "\ninterfaces "), "unknown line");
    expect_refused("tvpn-stats 1\n" + ok.substr(ok.find("\npeer ") + 1), "a peer before any interface");
    expect_refused(with(ok, " name=site-b", "  name=site-b"), "two spaces");
    expect_refused(with(ok, " name=site-b", " name=site-b "), "two spaces");
    expect_refused(with(ok, "peer name=site-b", "peer\tname=site-b"), "unknown line");
    expect_refused(std::string(kMaxStatsReply + 1, 'x'), "over");
    expect_refused(with(ok, " name=site-b", " name=site-b" + std::string(kMaxStatsLine, 'x')), "longer than");
}

TEST(StatsWire, KeysMustBeKnownPresentAndUnique) {
    const std::string ok = valid_reply();
    expect_refused(with(ok, " state=up", " state=up colour=red"), "unknown key colour");
    expect_refused(with(ok, " state=up", " state=up state=up"), "given twice");
    expect_refused(with(ok, " state=up", ""), "key state missing");
    expect_refused(with(ok, " mtu=1500", ""), "key mtu missing");
    expect_refused(with(ok, " drop.auth=", " drop.authx="), "drop.auth missing");
    expect_refused(with(ok, " receive_bytes=", " receive_bytes"), "is not key=value");
    expect_refused(with(ok, " receive_bytes=1010", " receive_bytes="), "is not key=value");
    expect_refused(with(ok, " receive_bytes=", " =1 receive_bytes="), "is not key=value");
    std::string extra;
    for (int i = 0; i < 64; ++i) extra += " k" + std::to_string(i) + "=1";
    expect_refused(with(ok, " state=up", " state=up" + extra), "more than 64 pairs");
}

TEST(StatsWire, NumbersMustBeDecimalAndInRange) {
    const std::string ok = valid_reply();
    for (const std::string bad : {"-1", "+1", "01", "1e3", "0x10", "18446744073709551616", "99999999999999999999", " "})
        expect_refused(with(ok, " receive_bytes=1010", " receive_bytes=" + bad), "");
    expect_refused(with(ok, " mtu=1500", " mtu=65536"), "not a number up to 65535");
    expect_refused(with(ok, " path_mtu=1400", " path_mtu=70000"), "not a number up to 65535");
    expect_refused(with(ok, " last_handshake_ms=1001", " last_handshake_ms=never"), "not a number");
}

TEST(StatsWire, NamesChoicesAndAddressesAreChecked) {
    const std::string ok = valid_reply();
    expect_refused(with(ok, "interface name=vlan3", "interface name=vlan3/x"), "contains '/'");
    expect_refused(with(ok, "interface name=vlan3", "interface name=vlan3vlan3vlan3vlan3"), "longer than 15");
    expect_refused(with(ok, " name=site-b", " name=site\x01-b"), "is not a peer name");
    expect_refused(with(ok, " name=site-b", " name=" + std::string(33, 'a')), "is not a peer name");
    expect_refused(with(ok, " backend=tap", " backend=tun"), "not a known value");
    expect_refused(with(ok, " codec=pwd", " codec=wireguard"), "not a known value");
    expect_refused(with(ok, " state=up", " state=down"), "not a known value");
    expect_refused(with(ok, " learned=1", " learned=yes"), "not a known value");
    for (const std::string bad : {"198.51.100.2", "198.51.100.2:70000", "198.51.100.256:1", "host:1", "[2001:db8::2:1",
                                  "[2001:db8::zz]:1", "2001:db8::2:33000", "[fe80::1%a/b]:1"})
        expect_refused(with(ok, " endpoint=198.51.100.2:33000", " endpoint=" + bad), "is not an address:port");
    expect_refused(with(ok, " listen=198.51.100.1:33000,", " listen=198.51.100.1:33000,,"), "not address:port");
    EXPECT_TRUE(parse_stats(with(ok, " endpoint=198.51.100.2:33000", " endpoint=[fe80::2%eth0]:33000")));
}

TEST(StatsWire, DuplicatesAndExcessAreRefused) {
    const std::string ok = valid_reply();
    const std::string iface = ok.substr(ok.find("interface "), ok.find('\n', ok.find("interface ")) - ok.find("interface ") + 1);
    const std::string peer = ok.substr(ok.find("peer "), ok.find('\n', ok.find("peer ")) - ok.find("peer ") + 1);
    expect_refused(with(ok, "end\n", iface + "end\n"), "interface vlan3 twice");
    expect_refused(with(ok, "end\n", peer + "end\n"), "peer site-b twice");
    std::string listen = " listen=198.51.100.1:1";
    for (size_t i = 2; i <= kMaxListenAddresses + 1; ++i) listen += ",198.51.100.1:" + std::to_string(i);
    expect_refused(with(ok, " listen=198.51.100.1:33000,[2001:db8::1]:33001", listen), "listen addresses");
    std::string peers = "tvpn-stats 1\n" + iface;
    const std::string peer_tail = peer.substr(peer.find(' ', 5));  // after "peer name=site-b"
    for (size_t i = 0; i <= kMaxStatsPeers; ++i) peers += "peer name=p" + std::to_string(i) + peer_tail;
    expect_refused(peers + "end\n", "more than 4096 peers");
}

// Every byte of a valid reply changed to each of a few values: read or
// refused, never anything else (under ASan/UBSan in make check).
TEST(StatsWire, MutatedRepliesAreReadOrRefusedNeverTrusted) {
    const std::string ok = valid_reply();
    size_t accepted = 0;
    for (size_t i = 0; i < ok.size(); ++i)
        for (char c : {'\0', ' ', '\n', '=', '9', '-', 'x', '\xff'}) {
            std::string m = ok;
            if (m[i] == c) continue;
            m[i] = c;
            if (auto r = parse_stats(m)) ++accepted;
        }
    // A digit changed into another stays a valid counter; little else does.
    EXPECT_LT(accepted, ok.size());
}
