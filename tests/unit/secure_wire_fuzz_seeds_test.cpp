// The fuzz seeds of the -pwd parsers (tests/fuzz/corpus/wire_parse and
// secure_open) are messages of the protocol as it is now: each parses as its
// name says, so a seed starts the fuzzer inside a parser, not at the version
// check. (They were left at version 3, without the name tag, when the Init
// and the version changed.) Run from the repository's top, as `make unit` does.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/pwd/secure_wire.h"

namespace tvpn::wire {
namespace {

using Bytes = std::vector<uint8_t>;

const std::filesystem::path kCorpus = "tests/fuzz/corpus";

Bytes read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What a seed named `name` must be: parsed by its parser, or refused for the
// reason its name gives. Every seed must have a known name.
void expect_as_named(const std::string& name, std::span<const uint8_t> msg) {
    DropReason why = DropReason::Count;
    SCOPED_TRACE(name);
    if (name.starts_with("init")) {
        EXPECT_TRUE(parse_init(msg, why));
    } else if (name.starts_with("response")) {
        EXPECT_TRUE(parse_response(msg, why));
    } else if (name.starts_with("confirm")) {
        EXPECT_TRUE(parse_confirm(msg, why));
    } else if (name.starts_with("cookie-reply")) {
        EXPECT_TRUE(parse_cookie_reply(msg, why));
    } else if (name.starts_with("data-one-short")) {
        EXPECT_FALSE(parse_sealed(msg, why));
        EXPECT_EQ(why, DropReason::Malformed);
    } else if (name.starts_with("data-version-2")) {
        EXPECT_FALSE(parse_header(msg, why));
        EXPECT_EQ(why, DropReason::BadVersion);
    } else {
        const std::pair<const char*, MessageType> sealed[] = {{"data", MessageType::Data},
                                                              {"fragment", MessageType::Fragment},
                                                              {"probe-ack", MessageType::ProbeAck},
                                                              {"probe", MessageType::Probe}};
        for (const auto& [prefix, type] : sealed) {
            if (!name.starts_with(prefix)) continue;
            auto v = parse_sealed(msg, why);
            ASSERT_TRUE(v);
            EXPECT_EQ(v->type, type);
            return;
        }
        ADD_FAILURE() << "a seed whose name says nothing of what it is";
    }
}

// `skip`: bytes in front of the message (secure_open's option byte).
void expect_seeds_as_named(const std::string& target, size_t skip) {
    const auto dir = kCorpus / target;
    ASSERT_TRUE(std::filesystem::is_directory(dir))
        << dir << " not found from " << std::filesystem::current_path() << " (run from the repository's top)";
    size_t seeds = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const Bytes seed = read_file(entry.path());
        ASSERT_GT(seed.size(), skip) << entry.path();
        expect_as_named(entry.path().filename().string(), std::span(seed).subspan(skip));
        ++seeds;
    }
    EXPECT_GE(seeds, 10u);
}

TEST(SecureWireFuzzSeeds, WireParseSeedsAreMessagesOfThisVersion) { expect_seeds_as_named("wire_parse", 0); }

TEST(SecureWireFuzzSeeds, SecureOpenSeedsAreMessagesOfThisVersion) { expect_seeds_as_named("secure_open", 1); }

}  // namespace
}  // namespace tvpn::wire
