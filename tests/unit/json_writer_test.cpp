// The JSON writer and `vnddconfig show --json`: escaping, structure, and
// every field of the reports under its documented key.
#include "vnddconfig/json_writer.h"

#include <gtest/gtest.h>

#include "tests/unit/stats_fixture.h"
#include "vnddconfig/show_json.h"
#include "vnddconfig/utf8.h"

using namespace tvpn;
using namespace tvpn::test;

TEST(JsonString, EscapesQuoteBackslashAndControlCharacters) {
    EXPECT_EQ(json_string("plain"), "\"plain\"");
    EXPECT_EQ(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(json_string("\n\r\t"), "\"\\n\\r\\t\"");
    EXPECT_EQ(json_string(std::string("\x01\x1f\x00", 3)), "\"\\u0001\\u001f\\u0000\"");
    EXPECT_EQ(json_string("/\x7f"), "\"/\x7f\"");  // need no escape
}

TEST(JsonString, KeepsValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    const std::string r(kReplacementCharacter);
    EXPECT_EQ(json_string("a\xff"), "\"a" + r + "\"");
    EXPECT_EQ(json_string("\xc3"), "\"" + r + "\"");                  // cut short
    EXPECT_EQ(json_string("\xc0\xaf"), "\"" + r + r + "\"");          // overlong '/'
    EXPECT_EQ(json_string("\xed\xa0\x80"), "\"" + r + r + r + "\"");  // a surrogate
    EXPECT_EQ(json_string("\xf4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // over U+10FFFF
}

TEST(JsonWriter, SeparatesMembersAndElements) {
    JsonWriter w;
    w.begin_object().key("a").number(1).key("b").begin_array().string("x").null().boolean(true).boolean(false);
    w.begin_object().end_object().end_array().key("c").thousandths(12345).key("d").thousandths(7).end_object();
    EXPECT_EQ(w.text(), R"({"a":1,"b":["x",null,true,false,{}],"c":12.345,"d":0.007})");
}

TEST(JsonWriter, EscapesKeys) {
    JsonWriter w;
    w.begin_object().key("we\"ird").number(UINT64_MAX).end_object();
    EXPECT_EQ(w.text(), "{\"we\\\"ird\":18446744073709551615}");
}

TEST(ShowJson, EveryFieldUnderItsKey) {
    const InterfaceReport r = sample_interface();
    const std::string j = show_json({{r.name, r, {}}});
    EXPECT_EQ(j.rfind("{\"schema\":\"tvpn-show\",\"version\":1,\"interfaces\":[{\"name\":\"vlan3\",\"daemon\":true,", 0), 0u) << j;
    EXPECT_EQ(j.back(), '\n');
    for (const char* s : {"\"backend\":\"tap\"", "\"mtu\":1500", "\"listen\":[\"198.51.100.1:33000\",\"[2001:db8::1]:33001\"]",
                          "\"name\":\"site-b\",\"endpoint\":\"198.51.100.2:33000\",\"endpoint_learned\":true,\"codec\":\"pwd\","
                          "\"state\":\"up\",\"last_handshake_seconds_ago\":1.001,\"last_receive_seconds_ago\":1.002,\"path_mtu\":1400",
                          "\"name\":\"site-c\",\"endpoint\":null,\"endpoint_learned\":false,\"codec\":\"clear\",\"state\":\"clear\","
                          "\"last_handshake_seconds_ago\":null,\"last_receive_seconds_ago\":2.002,\"path_mtu\":null"})
        EXPECT_NE(j.find(s), std::string::npos) << s << " in " << j;
    for (size_t i = 0; i < kInterfaceDrops; ++i)
        EXPECT_NE(j.find("\"" + std::string(interface_drop_name(i)) + "\":" + std::to_string(r.drops[i])), std::string::npos)
            << interface_drop_name(i);
    for (const PeerReport& p : r.peers) {
        for (const auto& c : peer_counters())
            EXPECT_NE(j.find("\"" + std::string(c.key) + "\":" + std::to_string(p.*c.member)), std::string::npos) << c.key;
        for (size_t i = 0; i < kPeerDrops; ++i)
            EXPECT_NE(j.find("\"" + std::string(peer_drop_name(i)) + "\":" + std::to_string(p.drops[i])), std::string::npos)
                << peer_drop_name(i);
    }
}

TEST(ShowJson, AnInterfaceWithoutDaemonSaysWhy) {
    EXPECT_EQ(show_json({{"vlan\"9", std::nullopt, "no daemon answers"}}),
              "{\"schema\":\"tvpn-show\",\"version\":1,\"interfaces\":[{\"name\":\"vlan\\\"9\",\"daemon\":false,"
              "\"error\":\"no daemon answers\"}]}\n");
    EXPECT_EQ(show_json({}), "{\"schema\":\"tvpn-show\",\"version\":1,\"interfaces\":[]}\n");
}
