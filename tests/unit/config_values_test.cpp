#include "common/config/config_values.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include "common/config/hook_command.h"

using namespace tvpn::config;

TEST(ConfigNumber, RangeAndGarbage) {
    EXPECT_EQ(*parse_number("68", 68, 9000), 68);
    EXPECT_EQ(*parse_number("9000", 68, 9000), 9000);
    EXPECT_EQ(parse_number("70000", 68, 9000).error().message, "70000 is not between 68 and 9000");
    EXPECT_EQ(parse_number("-1", 0, 3600).error().message, "-1 is not between 0 and 3600");
    EXPECT_EQ(parse_number("12a", 0, 3600).error().message, "'12a' is not a number");
    EXPECT_EQ(parse_number("", 0, 3600).error().message, "'' is not a number");
    EXPECT_EQ(parse_number("-", 0, 3600).error().message, "'-' is not a number");
    EXPECT_EQ(parse_number("+5", 0, 3600).error().message, "'+5' is not a number");
    EXPECT_EQ(parse_number("99999999999999999999999", 0, 3600).error().message,
              "'99999999999999999999999' is not between 0 and 3600");
}

TEST(ConfigPrefix, Ipv4AndIpv6AreNormalized) {
    auto a = parse_ip_prefix("192.168.3.1/24");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->family, AF_INET);
    EXPECT_EQ(a->length, 24u);
    EXPECT_EQ(a->text, "192.168.3.1/24");
    auto b = parse_ip_prefix("FD00:0:0::1/64");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->family, AF_INET6);
    EXPECT_EQ(b->text, "fd00::1/64");
    EXPECT_TRUE(parse_ip_prefix("10.0.0.1/32"));
    EXPECT_TRUE(parse_ip_prefix("fd00::1/128"));
}

TEST(ConfigPrefix, BadPrefixesAreRefused) {
    EXPECT_EQ(parse_ip_prefix("192.168.3.1").error().message,
              "'192.168.3.1' has no prefix length (expected ADDRESS/LENGTH, e.g. 192.168.3.1/24)");
    EXPECT_EQ(parse_ip_prefix("192.168.3.1/33").error().message, "prefix length 33 is not between 0 and 32");
    EXPECT_EQ(parse_ip_prefix("fd00::1/129").error().message, "prefix length 129 is not between 0 and 128");
    EXPECT_EQ(parse_ip_prefix("192.168.3.1/").error().message, "prefix length '' is not a number");
    EXPECT_EQ(parse_ip_prefix("192.168.300.1/24").error().message, "'192.168.300.1' is not an IPv4 or IPv6 address");
    EXPECT_EQ(parse_ip_prefix("host/24").error().message, "'host' is not an IPv4 or IPv6 address");
    EXPECT_EQ(parse_ip_prefix("0.0.0.0/0").error().message, "'0.0.0.0' is the unspecified address");
    EXPECT_EQ(parse_ip_prefix("::/0").error().message, "'::' is the unspecified address");
    EXPECT_EQ(parse_ip_prefix("224.0.0.1/4").error().message, "'224.0.0.1' is a multicast address");
    EXPECT_EQ(parse_ip_prefix("ff02::1/16").error().message, "'ff02::1' is a multicast address");
    EXPECT_EQ(parse_ip_prefix("255.255.255.255/32").error().message, "'255.255.255.255' is the broadcast address");
}

TEST(ConfigListenAddress, NumericOnly) {
    EXPECT_EQ(*parse_listen_address("198.51.100.1"), "198.51.100.1");
    EXPECT_EQ(*parse_listen_address("2001:DB8::1"), "2001:db8::1");
    EXPECT_EQ(*parse_listen_address("::"), "::");
    EXPECT_EQ(parse_listen_address("localhost").error().message, "'localhost' is not a numeric IPv4 or IPv6 address");
    EXPECT_EQ(parse_listen_address("[::1]").error().message, "'[::1]' is not a numeric IPv4 or IPv6 address");
}

TEST(ConfigEndpoint, HostPortIpv6AndAny) {
    auto a = parse_endpoint("198.51.100.2:4000");
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->any);
    EXPECT_EQ(a->host, "198.51.100.2");
    EXPECT_EQ(a->port, 4000);
    EXPECT_EQ(a->text(), "198.51.100.2:4000");
    auto b = parse_endpoint("[2001:DB8::2]:51820");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->host, "2001:db8::2");
    EXPECT_EQ(b->text(), "[2001:db8::2]:51820");
    auto c = parse_endpoint("hub.example.org:4000");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->host, "hub.example.org");
    EXPECT_TRUE(parse_endpoint("hub.example.org.:4000"));
    EXPECT_TRUE(parse_endpoint("ANY")->any);
    EXPECT_EQ(parse_endpoint("any")->text(), "any");
}

TEST(ConfigEndpoint, BadEndpointsAreRefused) {
    const std::string no_port = " has no port (expected HOST:PORT, [IPV6]:PORT or any)";
    EXPECT_EQ(parse_endpoint("198.51.100.2").error().message, "'198.51.100.2'" + no_port);
    EXPECT_EQ(parse_endpoint("[2001:db8::2]").error().message, "'[2001:db8::2]'" + no_port);
    EXPECT_EQ(parse_endpoint("[2001:db8::2]4000").error().message, "'[2001:db8::2]4000'" + no_port);
    EXPECT_EQ(parse_endpoint("[2001:db8::2:4000").error().message, "'[2001:db8::2:4000' has no ']' after the IPv6 address");
    EXPECT_EQ(parse_endpoint("2001:db8::2:4000").error().message,
              "'2001:db8::2:4000': an IPv6 address goes in brackets ([IPV6]:PORT)");
    EXPECT_EQ(parse_endpoint("[1.2.3.4]:4000").error().message, "'1.2.3.4' is not an IPv6 address");
    EXPECT_EQ(parse_endpoint("198.51.100.2:0").error().message, "bad port '0' (expected 1..65535)");
    EXPECT_EQ(parse_endpoint("198.51.100.2:65536").error().message, "bad port '65536' (expected 1..65535)");
    EXPECT_EQ(parse_endpoint(":4000").error().message, "the host is empty");
    EXPECT_EQ(parse_endpoint("198.51.100.300:4000").error().message, "'198.51.100.300' is not an IPv4 address");
    EXPECT_EQ(parse_endpoint("bad_host:4000").error().message, "'bad_host' is not a host name or an IPv4 address");
    EXPECT_EQ(parse_endpoint("-bad.org:4000").error().message, "'-bad.org' is not a host name or an IPv4 address");
    EXPECT_EQ(parse_endpoint("a..b:4000").error().message, "'a..b' is not a host name or an IPv4 address");
    EXPECT_EQ(parse_endpoint(std::string(64, 'a') + ".org:1").error().message.substr(0, 5), "'aaaa");
}

TEST(ConfigNames, InterfaceNamesAreLinuxValidAndShellLiteral) {
    EXPECT_FALSE(check_config_ifname("vlan3"));
    EXPECT_FALSE(check_config_ifname("br-lan_0.1"));
    EXPECT_TRUE(check_config_ifname(""));
    EXPECT_TRUE(check_config_ifname("abcdefghijklmnop"));  // 16 bytes
    EXPECT_TRUE(check_config_ifname(".."));
    EXPECT_EQ(check_config_ifname("a;reboot")->message,
              "interface name 'a;reboot' may only have letters, digits, '_', '.' and '-'");
    EXPECT_TRUE(check_config_ifname("$(x)"));
    EXPECT_TRUE(check_config_ifname("a'b"));
}

TEST(ConfigNames, PeerNames) {
    EXPECT_FALSE(check_peer_name("spoke-1.site_a"));
    EXPECT_FALSE(check_peer_name(std::string(32, 'p')));
    EXPECT_TRUE(check_peer_name(std::string(33, 'p')));
    EXPECT_TRUE(check_peer_name(""));
    EXPECT_EQ(check_peer_name("two words")->message, "'two words' is not 1 to 32 letters, digits, '_', '.' or '-'");
}

TEST(ConfigNames, UserNames) {
    EXPECT_FALSE(check_user_name("tvpn"));
    EXPECT_FALSE(check_user_name("_tvpn-2.x"));
    EXPECT_FALSE(check_user_name(std::string(32, 'u')));
    EXPECT_TRUE(check_user_name(std::string(33, 'u')));
    EXPECT_TRUE(check_user_name(""));
    EXPECT_TRUE(check_user_name("-user"));  // would read as an option
    EXPECT_EQ(check_user_name("root:root")->message, "'root:root' is not a user name (1 to 32 letters, digits, '_', '.' or '-')");
}

TEST(ConfigNames, PathsAreAbsolute) {
    EXPECT_FALSE(check_absolute_path("/etc/tvpn/vlan3.key"));
    EXPECT_EQ(check_absolute_path("vlan3.key")->message, "'vlan3.key' is not an absolute path");
    EXPECT_TRUE(check_absolute_path("/" + std::string(4095, 'a')));
    EXPECT_FALSE(check_absolute_path("/" + std::string(4094, 'a')));
}

TEST(HookCommand, PlaceholdersAreCheckedAndExpanded) {
    EXPECT_FALSE(check_hook("ip link set %i up"));
    EXPECT_FALSE(check_hook("echo 100%% on %i%i"));
    EXPECT_EQ(check_hook("ip link set %I up")->message, "'%I' is not a placeholder (%i is the interface, %% a percent sign)");
    EXPECT_EQ(check_hook("echo 100%")->message, "'%' is not a placeholder (%i is the interface, %% a percent sign)");
    EXPECT_EQ(check_hook("")->message, "the command is empty");
    EXPECT_EQ(expand_hook("ip link set %i up", "vlan3"), "ip link set vlan3 up");
    EXPECT_EQ(expand_hook("echo 100%% on %i%i", "v"), "echo 100% on vv");
    EXPECT_EQ(expand_hook("%%i", "vlan3"), "%i");
    EXPECT_EQ(expand_hook("no placeholder", "vlan3"), "no placeholder");
}
