#include "common/config/ini_reader.h"

#include <gtest/gtest.h>

using namespace tvpn::config;
using namespace std::literals;

namespace {

std::string error_of(std::string_view text) {
    auto r = parse_ini(text, "f.conf");
    return r ? "ok" : r.error().message;
}

}  // namespace

TEST(IniReader, SectionsKeysValuesAndLineNumbers) {
    auto r = parse_ini("# comment\n; another\n\n[Interface]\n  MTU   =  1500  \nName=vlan3\n\n[Peer]\nEndpoint = any\n", "f");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->sections.size(), 2u);
    const auto& i = r->sections[0];
    EXPECT_EQ(i.name, "Interface");
    EXPECT_EQ(i.line, 4u);
    ASSERT_EQ(i.entries.size(), 2u);
    EXPECT_EQ(i.entries[0].key, "MTU");
    EXPECT_EQ(i.entries[0].value, "1500");
    EXPECT_EQ(i.entries[0].line, 5u);
    EXPECT_EQ(i.entries[1].key, "Name");
    EXPECT_EQ(i.entries[1].value, "vlan3");
    EXPECT_EQ(i.entries[1].line, 6u);
    EXPECT_EQ(r->sections[1].name, "Peer");
    EXPECT_EQ(r->sections[1].line, 8u);
    EXPECT_EQ(r->sections[1].entries.at(0).line, 9u);
}

TEST(IniReader, ValueKeepsCommentCharactersEqualsSignsAndInnerSpaces) {
    auto r = parse_ini("[S]\nPostUp = echo a ; echo b # c = d\n", "f");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->sections[0].entries[0].value, "echo a ; echo b # c = d");
}

TEST(IniReader, EmptyValueAndRepeatedKeysAreKeptForTheModelToJudge) {
    auto r = parse_ini("[S]\nA =\nA = 1\nA = 2\n", "f");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->sections[0].entries.size(), 3u);
    EXPECT_EQ(r->sections[0].entries[0].value, "");
    EXPECT_EQ(r->sections[0].entries[2].value, "2");
}

TEST(IniReader, CrlfBomTabsAndNoFinalNewline) {
    auto r = parse_ini("\xEF\xBB\xBF[S]\r\n\tKey\t=\tv\r\nLast = x", "f");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->sections[0].entries.size(), 2u);
    EXPECT_EQ(r->sections[0].entries[0].value, "v");
    EXPECT_EQ(r->sections[0].entries[1].value, "x");
    EXPECT_EQ(r->sections[0].entries[1].line, 3u);
}

TEST(IniReader, EmptyInputHasNoSections) {
    auto r = parse_ini("", "f");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->sections.empty());
}

TEST(IniReader, SyntaxErrorsNameFileAndLine) {
    EXPECT_EQ(error_of("[S]\n\nno equals here\n"), "f.conf:3: 'no equals here' has no '=' (expected Key = Value)");
    EXPECT_EQ(error_of("MTU = 1500\n[S]\n"), "f.conf:1: MTU: outside a section (put it under [Interface] or [Peer])");
    EXPECT_EQ(error_of("[S]\n[Peer\n"), "f.conf:2: section header '[Peer' has no closing ']'");
    EXPECT_EQ(error_of("[]\n"), "f.conf:1: section name '' is not a word (expected [Interface] or [Peer])");
    EXPECT_EQ(error_of("[Two Words]\n"), "f.conf:1: section name 'Two Words' is not a word (expected [Interface] or [Peer])");
    EXPECT_EQ(error_of("[S]\n= 1\n"), "f.conf:2: key '' is not a word of at most 64 letters and digits");
    EXPECT_EQ(error_of("[S]\nListen Port = 1\n"), "f.conf:2: key 'Listen Port' is not a word of at most 64 letters and digits");
    EXPECT_EQ(error_of("[S]\nA = x\x01y\n"), "f.conf:2: line contains the control character 0x01");
    EXPECT_EQ(error_of("[S]\n\nA = x\0y\n"sv), "f.conf:3: line contains the control character 0x00");
    EXPECT_EQ(error_of("[S]\nA = \x7f\n"), "f.conf:2: line contains the control character 0x7f");
    EXPECT_EQ(error_of("[S]\nA = x\ry\n"), "f.conf:2: line contains the control character 0x0d");
}

TEST(IniReader, LongKeysAndValuesAreRefused) {
    EXPECT_EQ(error_of("[S]\n" + std::string(65, 'k') + " = 1\n").substr(0, 17), "f.conf:2: key 'kk");
    EXPECT_EQ(error_of("[S]\n" + std::string(64, 'k') + " = 1\n"), "ok");
    EXPECT_EQ(error_of("[S]\nA = " + std::string(4096, 'v') + "\n"), "ok");
    EXPECT_EQ(error_of("[S]\nA = " + std::string(4097, 'v') + "\n"), "f.conf:2: A: value is longer than 4096 bytes");
}

TEST(IniReader, QuotedShortensLongValues) {
    EXPECT_EQ(quote_value("abc"), "'abc'");
    EXPECT_EQ(quote_value(std::string(100, 'x')), "'" + std::string(60, 'x') + "...'");
}

TEST(IniReader, IequalsIgnoresAsciiCaseOnly) {
    EXPECT_TRUE(iequals("ListenPort", "listenport"));
    EXPECT_TRUE(iequals("MTU", "mtu"));
    EXPECT_FALSE(iequals("MTU", "MTUs"));
    EXPECT_FALSE(iequals("a", "b"));
}
