// The tunnel's name (-name) in the handshake: two tunnels that share a
// password cannot be spliced onto each other by a man in the middle who
// rewrites addresses and ports (their names differ), nor by one who also
// rewrites the name tag in the Init (the key confirmation binds the name).
#include <gtest/gtest.h>

#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

using namespace test;
constexpr uint64_t S = wire::kSecond;

TEST(SecureCodecName, SameNameAndPasswordConnect) {
    End a(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan3"), b(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan3");
    connect(a, b, 1 * S);
    EXPECT_TRUE(a.codec->has_session(1 * S));
    EXPECT_TRUE(b.codec->has_session(1 * S));
}

// vlan3's initiator is delivered to vlan4's responder (ports swapped on the path).
TEST(SecureCodecName, InitForAnotherTunnelNameIsRefusedBeforeAnyWork) {
    End a(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan3"), b(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan4");
    uint64_t now = 1 * S;
    for (int i = 0; i < 50; ++i, now += S / 2) connect(a, b, now);  // both keep trying for 25 s
    EXPECT_FALSE(a.codec->has_session(now));
    EXPECT_FALSE(b.codec->has_session(now));
    EXPECT_GT(b.dropped(DropReason::WrongName), 0u);
    EXPECT_GT(a.dropped(DropReason::WrongName), 0u);
    EXPECT_EQ(b.codec->status(now).find("answered=0 ") != std::string::npos, true) << b.codec->status(now);
    a.send(frame(1), now);
    pump(a, b, now);
    EXPECT_TRUE(b.frames.empty());
}

// The attacker also rewrites the Init's name tag to vlan4's: the responder
// answers, but the confirmations bind each end's own name and fail.
TEST(SecureCodecName, RewrittenNameTagStillGivesNoSession) {
    End a(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan3"), b(1, wire::kRekeyAfterTime, Logger::Sink::Silent, "vlan4");
    const wire::NameTag vlan4 = wire::name_tag_of("vlan4");
    constexpr size_t kTagAt = wire::kHeaderSize + wire::kIndexSize + wire::kInstanceSize + wire::kShareSize;
    uint64_t now = 1 * S;
    for (int i = 0; i < 20; ++i, now += S) {
        a.codec->tick(now);
        b.codec->tick(now);
        for (int round = 0; round < 10; ++round) {
            std::deque<Bytes> qa, qb;
            qa.swap(a.out.q);
            qb.swap(b.out.q);
            for (auto& d : qa) {
                if (type_of(d) == wire::MessageType::HandshakeInit) std::memcpy(d.data() + kTagAt, vlan4.data(), vlan4.size());
                b.receive(d, now);
            }
            for (auto& d : qb) {
                if (type_of(d) == wire::MessageType::HandshakeInit) continue;  // only a's direction is spliced
                a.receive(d, now);
            }
        }
    }
    EXPECT_EQ(a.codec->sessions_established(), 0u);
    EXPECT_EQ(b.codec->sessions_established(), 0u);
    EXPECT_EQ(b.codec->status(now).find("answered=0 "), std::string::npos) << "b never answered: the test tested nothing";
    a.send(frame(2), now);
    pump(a, b, now);
    EXPECT_TRUE(b.frames.empty());
}

}  // namespace
}  // namespace tvpn
