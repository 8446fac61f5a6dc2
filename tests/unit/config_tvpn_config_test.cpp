#include "common/config/tvpn_config.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include "common/config/hook_command.h"

using namespace tvpn;
using namespace tvpn::config;

namespace {

constexpr std::string_view kFile = "/etc/tvpn/vlan3.conf";

// A hub with three spokes: every key of the format at least once.
constexpr std::string_view kHub = R"(# hub of vlan3
[Interface]
Address = 192.168.3.1/24
Address = fd00:3::1/64, 10.3.0.1/16
MTU = 1500
MAC = 02:00:5e:10:00:01
Backend = vndd
# Bridge (no Address with it): BridgeAndItsAddresses
ListenAddress = 198.51.100.1
ListenPort = 4000
Keepalive = 25
PasswordFile = /etc/tvpn/vlan3.key
PreUp = modprobe vnddmgr
PostUp = ip link set %i up
PostUp = logger "up %i at 100%%"
PreDown = logger down %i
PostDown = ip link del br-lan

[Peer]
Name = spoke1
Endpoint = any
PasswordFile = /etc/tvpn/spoke1.key

[Peer]
Name = spoke2
Endpoint = 203.0.113.2:4000
Keepalive = 5

[Peer]
Name = spoke3
Endpoint = [2001:db8::3]:4000
TunnelName = spoke3
)";

// The smallest file: a port and one peer.
constexpr std::string_view kMinimal = "[Interface]\nListenPort = 4000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n";

std::string error_of(std::string_view text, std::string_view source = kFile) {
    auto r = parse_config(text, source);
    return r ? "ok" : r.error().message;
}

// kMinimal's [Interface] with `extra` lines appended to it.
std::string with_interface(std::string_view extra) {
    return "[Interface]\nListenPort = 4000\n" + std::string(extra) + "[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n";
}

// kMinimal with `extra` lines appended to its [Peer].
std::string with_peer(std::string_view extra) { return std::string(kMinimal) + std::string(extra); }

}  // namespace

TEST(TvpnConfig, HubWithThreePeers) {
    auto r = parse_config(kHub, kFile);
    ASSERT_TRUE(r) << r.error().message;
    const auto& i = r->interface;
    EXPECT_EQ(i.name, "vlan3");
    ASSERT_EQ(i.addresses.size(), 3u);
    EXPECT_EQ(i.addresses[0].text, "192.168.3.1/24");
    EXPECT_EQ(i.addresses[1].text, "fd00:3::1/64");
    EXPECT_EQ(i.addresses[1].family, AF_INET6);
    EXPECT_EQ(i.addresses[2].text, "10.3.0.1/16");
    EXPECT_EQ(i.mtu, 1500);
    ASSERT_TRUE(i.mac);
    EXPECT_EQ(format_mac(*i.mac), "02:00:5e:10:00:01");
    EXPECT_EQ(i.backend, BackendChoice::Vndd);
    EXPECT_EQ(backend_name(i.backend), "vndd");
    EXPECT_EQ(i.bridge, "");
    EXPECT_EQ(i.listen_address, "198.51.100.1");
    EXPECT_EQ(i.listen_port, 4000);
    EXPECT_EQ(i.keepalive, 25);
    EXPECT_EQ(i.password_file, "/etc/tvpn/vlan3.key");
    EXPECT_EQ(i.cipher, "");
    EXPECT_EQ(i.line, 2u);
    EXPECT_EQ(i.hooks.pre_up, std::vector<std::string>{"modprobe vnddmgr"});
    ASSERT_EQ(i.hooks.post_up.size(), 2u);
    EXPECT_EQ(expand_hook(i.hooks.post_up[1], i.name), "logger \"up vlan3 at 100%\"");
    EXPECT_EQ(i.hooks.pre_down, std::vector<std::string>{"logger down %i"});
    EXPECT_EQ(i.hooks.post_down, std::vector<std::string>{"ip link del br-lan"});

    ASSERT_EQ(r->peers.size(), 3u);
    const auto& s1 = r->peers[0];
    EXPECT_EQ(s1.name, "spoke1");
    EXPECT_TRUE(s1.endpoint.any);
    EXPECT_EQ(s1.password_file, "/etc/tvpn/spoke1.key");  // its own
    EXPECT_EQ(s1.password_file_line, 22u);
    EXPECT_EQ(s1.keepalive, 25);                          // the interface's
    EXPECT_EQ(s1.line, 19u);
    const auto& s2 = r->peers[1];
    EXPECT_EQ(s2.endpoint.text(), "203.0.113.2:4000");
    EXPECT_EQ(s2.password_file, "/etc/tvpn/vlan3.key");  // the interface's
    EXPECT_EQ(s2.password_file_line, 12u);
    EXPECT_EQ(s2.keepalive, 5);                          // its own
    const auto& s3 = r->peers[2];
    EXPECT_EQ(s3.endpoint.host, "2001:db8::3");
    EXPECT_EQ(s3.endpoint.port, 4000);
    EXPECT_EQ(s3.line, 29u);
    EXPECT_EQ(s3.tunnel_name, "spoke3");
    EXPECT_EQ(s2.tunnel_name, "vlan3");
    EXPECT_EQ(s1.tunnel_name, "spoke1");
}

TEST(TvpnConfig, DefaultsOfAMinimalFile) {
    auto r = parse_config(kMinimal, kFile);
    ASSERT_TRUE(r) << r.error().message;
    const auto& i = r->interface;
    EXPECT_EQ(i.name, "vlan3");  // from the file name
    EXPECT_TRUE(i.addresses.empty());
    EXPECT_EQ(i.mtu, 1500);
    EXPECT_FALSE(i.mac);
    EXPECT_EQ(i.backend, BackendChoice::Auto);
    EXPECT_EQ(backend_name(i.backend), "");
    EXPECT_EQ(i.bridge, "");
    EXPECT_EQ(i.listen_address, "");
    EXPECT_FALSE(i.keepalive);
    EXPECT_EQ(i.password_file, "");
    EXPECT_EQ(i.cipher, "");
    EXPECT_FALSE(i.weak_password_ok);
    EXPECT_TRUE(i.hooks.pre_up.empty() && i.hooks.post_up.empty() && i.hooks.pre_down.empty() && i.hooks.post_down.empty());
    ASSERT_EQ(r->peers.size(), 1u);
    EXPECT_EQ(r->peers[0].password_file, "");  // clear text
    EXPECT_FALSE(r->peers[0].keepalive);
}

TEST(TvpnConfig, NamesAndKeysIgnoreCaseAndNameOverridesTheFileName) {
    auto r = parse_config("[interface]\nlistenport = 4000\nNAME = vlan7\nbackend = TAP\n[PEER]\nname = b\nendpoint = ANY\n"
                          "passwordfile = /k\n",
                          "relative.conf");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->interface.name, "vlan7");
    EXPECT_EQ(r->interface.backend, BackendChoice::Tap);
    EXPECT_TRUE(r->peers[0].endpoint.any);
    EXPECT_EQ(error_of(with_interface("Backend = auto\n")), "ok");
}

TEST(TvpnConfig, DesWithPasswordsAndPeersBeforeTheInterface) {
    EXPECT_EQ(error_of("[Peer]\nName = old\nEndpoint = 198.51.100.9:7000\n[Interface]\nListenPort = 7000\n"
                       "Cipher = des\nPasswordFile = /etc/tvpn/old.key\n"),
              "ok");
    EXPECT_EQ(error_of(with_interface("Cipher = DES\n") + "PasswordFile = /k\n"), "ok");
}

TEST(TvpnConfig, ParsingReadsNoFile) {
    // Password files are only named: one that does not exist is no error here.
    EXPECT_EQ(error_of(with_interface("PasswordFile = /nonexistent/tvpn/key\n")), "ok");
}

TEST(TvpnConfig, FileAndSectionErrors) {
    EXPECT_EQ(error_of(""), "/etc/tvpn/vlan3.conf:1: no [Interface] section");
    EXPECT_EQ(error_of("# nothing\n[Peer]\nName = b\nEndpoint = any\nPasswordFile = /k\n"),
              "/etc/tvpn/vlan3.conf:1: no [Interface] section");
    EXPECT_EQ(error_of("[Interface]\nListenPort = 1\n"), "/etc/tvpn/vlan3.conf:1: no [Peer] section (a tunnel needs a peer)");
    EXPECT_EQ(error_of(std::string(kMinimal) + "\n[Interface]\n"),
              "/etc/tvpn/vlan3.conf:7: [Interface] given twice (first on line 1)");
    EXPECT_EQ(error_of(std::string(kMinimal) + "[Peers]\n"),
              "/etc/tvpn/vlan3.conf:6: unknown section [Peers] (expected [Interface] or [Peer])");
    EXPECT_EQ(error_of("ListenPort = 4000\n"),
              "/etc/tvpn/vlan3.conf:1: ListenPort: outside a section (put it under [Interface] or [Peer])");
    EXPECT_EQ(error_of("[Interface]\nMTU 1500\n"), "/etc/tvpn/vlan3.conf:2: 'MTU 1500' has no '=' (expected Key = Value)");
}

TEST(TvpnConfig, KeyErrorsNameLineAndKey) {
    EXPECT_EQ(error_of(with_interface("MTU = 70000\n")), "/etc/tvpn/vlan3.conf:3: MTU: 70000 is not between 68 and 9000");
    EXPECT_EQ(error_of(with_interface("MTU = 67\n")), "/etc/tvpn/vlan3.conf:3: MTU: 67 is not between 68 and 9000");
    EXPECT_EQ(error_of(with_interface("MTU = 68\n")), "ok");
    EXPECT_EQ(error_of(with_interface("MTU = 9000\n")), "ok");
    EXPECT_EQ(error_of(with_interface("MTU = big\n")), "/etc/tvpn/vlan3.conf:3: MTU: 'big' is not a number");
    EXPECT_EQ(error_of(with_interface("Mtu = 1400\nMTU = 1500\n")),
              "/etc/tvpn/vlan3.conf:4: MTU: given twice (first on line 3)");
    EXPECT_EQ(error_of(with_interface("Colour = blue\n")), "/etc/tvpn/vlan3.conf:3: unknown key 'Colour' in [Interface]");
    EXPECT_EQ(error_of(with_interface("MTU =\n")), "/etc/tvpn/vlan3.conf:3: MTU: has no value");
    EXPECT_EQ(error_of(with_peer("Address = 10.0.0.1/8\n")), "/etc/tvpn/vlan3.conf:6: unknown key 'Address' in [Peer]");
}

TEST(TvpnConfig, UserIsAUserName) {
    auto c = parse_config(with_interface("User = tvpn\n"), "/etc/tvpn/vlan3.conf");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->interface.user, "tvpn");
    EXPECT_EQ(error_of(with_interface("User = a b\n")),
              "/etc/tvpn/vlan3.conf:3: User: 'a b' is not a user name (1 to 32 letters, digits, '_', '.' or '-')");
    EXPECT_EQ(error_of(with_peer("User = tvpn\n")), "/etc/tvpn/vlan3.conf:6: unknown key 'User' in [Peer]");
}

TEST(TvpnConfig, InterfaceValueErrors) {
    const std::string at3 = "/etc/tvpn/vlan3.conf:3: ";
    EXPECT_EQ(error_of(with_interface("Address = 192.168.3.1\n")),
              at3 + "Address: '192.168.3.1' has no prefix length (expected ADDRESS/LENGTH, e.g. 192.168.3.1/24)");
    EXPECT_EQ(error_of(with_interface("Address = 192.168.3.1/24, bad/24\n")),
              at3 + "Address: 'bad' is not an IPv4 or IPv6 address");
    EXPECT_EQ(error_of(with_interface("Address = 192.168.3.1/24,\n")), at3 + "Address: '' has no prefix length "
                                                                             "(expected ADDRESS/LENGTH, e.g. 192.168.3.1/24)");
    EXPECT_EQ(error_of(with_interface("Address = 192.168.3.1/24\nAddress = 192.168.3.1/24\n")),
              "/etc/tvpn/vlan3.conf:4: Address: 192.168.3.1/24 is given twice");
    EXPECT_EQ(error_of(with_interface("MAC = 01:00:5e:00:00:01\n")),
              at3 + "MAC: MAC address '01:00:5e:00:00:01' is multicast");
    EXPECT_EQ(error_of(with_interface("MAC = 00:00:00:00:00:00\n")),
              at3 + "MAC: MAC address '00:00:00:00:00:00' is all zeros");
    EXPECT_EQ(error_of(with_interface("MAC = 02:00:5e\n")),
              at3 + "MAC: MAC address '02:00:5e' is malformed (expected XX:XX:XX:XX:XX:XX)");
    EXPECT_EQ(error_of(with_interface("Backend = kernel\n")), at3 + "Backend: 'kernel' is not auto, tap or vndd");
    EXPECT_EQ(error_of(with_interface("Bridge = br/0\n")),
              at3 + "Bridge: interface name 'br/0' contains '/', ':', a space or a control character");
    EXPECT_EQ(error_of(with_interface("Bridge = vlan3\n")), at3 + "Bridge: 'vlan3' is the interface itself");
    EXPECT_EQ(error_of(with_interface("Name = this-name-is-too-long\n")),
              at3 + "Name: interface name 'this-name-is-too-long' is longer than 15 bytes");
    EXPECT_EQ(error_of(with_interface("Name = a$(x)\n")),
              at3 + "Name: interface name 'a$(x)' may only have letters, digits, '_', '.' and '-'");
    EXPECT_EQ(error_of(with_interface("ListenAddress = any\n")),
              at3 + "ListenAddress: 'any' is not a numeric IPv4 or IPv6 address");
    EXPECT_EQ(error_of("[Interface]\nListenPort = 0\n"), "/etc/tvpn/vlan3.conf:2: ListenPort: bad port '0' (expected 1..65535)");
    EXPECT_EQ(error_of(with_interface("Keepalive = 3601\n")), at3 + "Keepalive: 3601 is not between 1 and 3600");
    EXPECT_EQ(error_of(with_interface("PasswordFile = vlan3.key\n")), at3 + "PasswordFile: 'vlan3.key' is not an absolute path");
    EXPECT_EQ(error_of(with_interface("Cipher = aes\n")),
              at3 + "Cipher: 'aes' is not a cipher (the only one is des, for the original TVPN; leave Cipher out for "
                    "the -pwd protocol)");
    EXPECT_EQ(error_of(with_interface("PostUp = ip link set %I up\n")),
              at3 + "PostUp: '%I' is not a placeholder (%i is the interface, %% a percent sign)");
}

TEST(TvpnConfig, RequiredInterfaceKeys) {
    EXPECT_EQ(error_of("[Interface]\nMTU = 1500\n[Peer]\nName = b\nEndpoint = 198.51.100.2:1\n"),
              "/etc/tvpn/vlan3.conf:1: [Interface]: ListenPort is missing");
    const std::string no_name = ":1: [Interface]: Name is missing, and the file name is not IF.conf for an interface IF";
    EXPECT_EQ(error_of(kMinimal, "/etc/tvpn/vlan3.ini"), "/etc/tvpn/vlan3.ini" + no_name);
    EXPECT_EQ(error_of(kMinimal, "<stdin>"), "<stdin>" + no_name);
    EXPECT_EQ(error_of(kMinimal, "/etc/tvpn/.conf"), "/etc/tvpn/.conf" + no_name);
    EXPECT_EQ(error_of(kMinimal, "/etc/tvpn/a;b.conf"), "/etc/tvpn/a;b.conf" + no_name);
    EXPECT_EQ(error_of(kMinimal, "/etc/tvpn/sixteen-bytes-xx.conf"), "/etc/tvpn/sixteen-bytes-xx.conf" + no_name);
    EXPECT_EQ(error_of(kMinimal, "vlan4.conf"), "ok");
}

TEST(TvpnConfig, PeerErrors) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    EXPECT_EQ(error_of(with_peer("Name = c\n")), f + "6: Name: given twice (first on line 4)");
    EXPECT_EQ(error_of(with_peer("Endpoint = 198.51.100.3:4000\n")), f + "6: Endpoint: given twice (first on line 5)");
    EXPECT_EQ(error_of(with_peer("Keepalive = -5\n")), f + "6: Keepalive: -5 is not between 1 and 3600");
    EXPECT_EQ(error_of(with_peer("PasswordFile = key\n")), f + "6: PasswordFile: 'key' is not an absolute path");
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nEndpoint = 198.51.100.3:4000\n"), f + "6: [Peer]: Name is missing");
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nName = c\n"),
              f + "6: [Peer]: Endpoint is missing (HOST:PORT, [IPV6]:PORT or any)");
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nName = bad name\n"),
              f + "7: Name: 'bad name' is not 1 to 32 letters, digits, '_', '.' or '-'");
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nName = c\nEndpoint = 198.51.100.3\n"),
              f + "8: Endpoint: '198.51.100.3' has no port (expected HOST:PORT, [IPV6]:PORT or any)");
}

TEST(TvpnConfig, TwoPeersWithTheSameNameOrEndpoint) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nEndpoint = 198.51.100.3:4000\nName = b\n"),
              f + "8: Name: peer 'b' is already defined on line 3");
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nName = c\nEndpoint = 198.51.100.2:4000\n"),
              f + "8: Endpoint: 198.51.100.2:4000 is already peer 'b''s (line 3)");
    // Several peers may be 'any' (each found by its password), and one host
    // may have two ports.
    EXPECT_EQ(error_of(with_interface("PasswordFile = /k\n") + "[Peer]\nName = c\nEndpoint = any\n[Peer]\nName = d\n"
                                                              "Endpoint = any\n[Peer]\nName = e\nEndpoint = 198.51.100.2:4001\nTunnelName = e\n"),
              "ok");
}

TEST(TvpnConfig, EndpointAnyNeedsAnAuthenticatingPassword) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    const std::string any_peer = "[Peer]\nName = c\nEndpoint = any\n";
    EXPECT_EQ(error_of(with_interface("") + any_peer),
              f + "8: Endpoint: any needs a PasswordFile (in this [Peer] or in [Interface]): only an authenticated peer may "
                  "tell where it is");
    EXPECT_EQ(error_of(with_interface("") + any_peer + "PasswordFile = /etc/tvpn/c.key\n"), "ok");
    EXPECT_EQ(error_of(with_interface("PasswordFile = /etc/tvpn/all.key\n") + any_peer), "ok");
    EXPECT_EQ(error_of(with_interface("PasswordFile = /k\nCipher = des\n") + any_peer),
              f + "10: Endpoint: any does not work with Cipher des, which cannot authenticate where a message comes from");
}

TEST(TvpnConfig, DesNeedsAPasswordForEveryPeer) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    EXPECT_EQ(error_of(with_interface("Cipher = des\n")),
              f + "3: Cipher: des needs a PasswordFile (peer 'b' has none, nor has [Interface])");
    EXPECT_EQ(error_of(with_interface("Cipher = des\n") + "PasswordFile = /etc/tvpn/b.key\n"), "ok");
    EXPECT_EQ(error_of(with_interface("Cipher = des\n") + "PasswordFile = /k\n[Peer]\nName = c\nEndpoint = 198.51.100.3:1\n"),
              f + "3: Cipher: des needs a PasswordFile (peer 'c' has none, nor has [Interface])");
}

TEST(TvpnConfig, Limits) {
    std::string many = with_interface("");
    for (int i = 0; i < 1023; ++i)
        many += "[Peer]\nName = p" + std::to_string(i) + "\nEndpoint = 198.51.100.2:" + std::to_string(i + 1) +
                "\nTunnelName = p" + std::to_string(i) + "\n";
    EXPECT_EQ(error_of(many), "ok");
    many += "[Peer]\nName = last\nEndpoint = any\n";
    EXPECT_EQ(error_of(many), "/etc/tvpn/vlan3.conf:4098: [Peer]: more than 1024 peers");

    std::string hooks;
    for (int i = 0; i < 64; ++i) hooks += "PostUp = true\n";
    EXPECT_EQ(error_of(with_interface(hooks)), "ok");
    EXPECT_EQ(error_of(with_interface(hooks + "PostUp = true\n")), "/etc/tvpn/vlan3.conf:67: PostUp: more than 64 commands");

    std::string addresses;
    for (int i = 0; i < 64; ++i) addresses += "Address = 10.0." + std::to_string(i) + ".1/24\n";
    EXPECT_EQ(error_of(with_interface(addresses)), "ok");
    EXPECT_EQ(error_of(with_interface(addresses + "Address = 10.1.0.1/24\n")),
              "/etc/tvpn/vlan3.conf:67: Address: more than 64 addresses");
}

TEST(TvpnConfig, BridgeAndItsAddresses) {
    auto r = parse_config(with_interface("Bridge = br-lan\n"), kFile);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->interface.bridge, "br-lan");
    EXPECT_EQ(error_of(with_interface("Bridge = br-lan\nAddress = 192.168.3.1/24\n")),
              "/etc/tvpn/vlan3.conf:4: Address: vlan3 is a port of Bridge br-lan, where its own addresses receive nothing: "
              "give them to br-lan instead (e.g. PostUp = ip addr add ADDRESS dev br-lan)");
}

TEST(TvpnConfig, KeepaliveOnlyForPeersOfThePwdProtocol) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    EXPECT_EQ(error_of(with_peer("Keepalive = 25\n")),
              f + "6: Keepalive: peer 'b' has no PasswordFile, and only the -pwd protocol sends keepalives");
    EXPECT_EQ(error_of(with_interface("Keepalive = 25\n")),
              f + "3: Keepalive: peer 'b' has no PasswordFile, and only the -pwd protocol sends keepalives");
    EXPECT_EQ(error_of(with_interface("Keepalive = 25\nCipher = des\nPasswordFile = /k\n")),
              f + "3: Keepalive: peer 'b' uses Cipher des, and only the -pwd protocol sends keepalives");
    EXPECT_EQ(error_of(with_interface("Keepalive = 25\nPasswordFile = /k\n")), "ok");
    EXPECT_EQ(error_of(with_peer("Keepalive = 0\nPasswordFile = /k\n")), f + "6: Keepalive: 0 is not between 1 and 3600");
}

TEST(TvpnConfig, TunnelNamesAreTheInterfaceOrTheAnyPeersOwn) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    auto r = parse_config(with_interface("PasswordFile = /k\n") + "[Peer]\nName = c\nEndpoint = any\n[Peer]\nName = d\n"
                                                                  "Endpoint = 198.51.100.4:1\nTunnelName = site-d\n",
                          kFile);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->peers.size(), 3u);
    EXPECT_EQ(r->peers[0].tunnel_name, "vlan3");   // a fixed Endpoint: the interface's, as -name's default
    EXPECT_EQ(r->peers[1].tunnel_name, "c");       // any: its Name
    EXPECT_EQ(r->peers[2].tunnel_name, "site-d");  // its own
    EXPECT_EQ(error_of(with_interface("") + "[Peer]\nName = c\nEndpoint = 198.51.100.3:4000\n"),
              f + "6: TunnelName: peers 'b' (line 3) and 'c' both have the tunnel name 'vlan3' (a peer with a fixed "
                  "Endpoint has the interface's by default): give one a TunnelName of its own, the same as at its other end");
    EXPECT_EQ(error_of(with_peer("TunnelName = a b\n")), f + "6: TunnelName: 'a b' is not 1 to 32 letters, digits, '_', '.' or '-'");
}

// WeakPasswordOk is -weak-pwd-ok: yes or no, and only where a -pwd password is judged.
TEST(TvpnConfig, WeakPasswordOkOnlyWithAPasswordOfThePwdProtocol) {
    const std::string f = "/etc/tvpn/vlan3.conf:";
    for (const char* yes : {"yes", "YES", "Yes"}) {
        auto r = parse_config(with_interface("PasswordFile = /k\nWeakPasswordOk = " + std::string(yes) + "\n"), kFile);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->interface.weak_password_ok) << yes;
    }
    auto no = parse_config(with_interface("PasswordFile = /k\nWeakPasswordOk = no\n"), kFile);
    ASSERT_TRUE(no) << no.error().message;
    EXPECT_FALSE(no->interface.weak_password_ok);
    EXPECT_EQ(error_of(with_interface("PasswordFile = /k\nWeakPasswordOk = 1\n")), f + "4: WeakPasswordOk: '1' is not yes or no");
    EXPECT_EQ(error_of(with_interface("WeakPasswordOk = yes\n")),
              f + "3: WeakPasswordOk: no peer has a PasswordFile: without a password there is none to judge");
    EXPECT_EQ(error_of(with_interface("WeakPasswordOk = no\n")), "ok");  // nothing taken: nothing to refuse
    EXPECT_EQ(error_of(with_interface("WeakPasswordOk = yes\n") + "PasswordFile = /b.key\n"), "ok");  // the peer's own
    EXPECT_EQ(error_of(with_interface("Cipher = des\nPasswordFile = /k\nWeakPasswordOk = yes\n")),
              f + "5: WeakPasswordOk: does nothing with Cipher des: a DES password is public anyway");
    EXPECT_EQ(error_of(with_interface("PasswordFile = /k\nWeakPasswordOk = yes\nWeakPasswordOk = yes\n")),
              f + "5: WeakPasswordOk: given twice (first on line 4)");
    EXPECT_EQ(error_of(with_peer("WeakPasswordOk = yes\n")), f + "6: unknown key 'WeakPasswordOk' in [Peer]");
}
