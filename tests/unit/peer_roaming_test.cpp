// The roaming rule (WireGuard's): a peer's endpoint moves only to the source
// of a datagram its codec authenticated and replay-checked. Two -pwd peers in
// process; datagrams handed over with the source address the test chooses.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "common/datapath/peer.h"
#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

using namespace test;
constexpr uint64_t S = wire::kSecond;

Endpoint ep(const char* ip, const char* port) { return *Endpoint::resolve(ip, port); }

std::unique_ptr<Peer> make_peer(const char* local, std::optional<Endpoint> remote, Outbox& out, Logger& log) {
    auto c = SecureCodec::create(SecureCodecConfig{"roam", wire::kRekeyAfterTime}, password(7), log);
    EXPECT_TRUE(c);
    auto p = std::make_unique<Peer>(PeerConfig{"vlan3", "vlan3", ep(local, "33000"), remote}, std::move(*c));
    p->set_control_sink(&out);
    return p;
}

struct Pair {
    Logger log{"test", Logger::Sink::Silent};
    Outbox out_a, out_b;
    std::unique_ptr<Peer> a = make_peer("198.51.100.1", ep("198.51.100.2", "33000"), out_a, log);
    std::unique_ptr<Peer> b = make_peer("198.51.100.2", ep("198.51.100.1", "33000"), out_b, log);
    PacketBatch buf{1};

    // Hands datagram `d` to `to` as if it came from `from`; returns whether the endpoint moved.
    bool deliver(Peer& to, const Bytes& d, const Endpoint& from, uint64_t now, bool* frame = nullptr) {
        Packet& p = buf[0];
        p.off = kHeadroom;
        p.len = static_cast<uint32_t>(d.size());
        std::memcpy(p.data(), d.data(), d.size());
        std::memcpy(&p.addr, from.sa(), from.len());
        p.addrlen = from.len();
        bool moved = false;
        const bool f = to.inbound(p, now, moved);
        if (frame) *frame = f;
        return moved;
    }
    // Moves handshake traffic both ways, from each peer's real address.
    void settle(uint64_t now) {
        for (int round = 0; round < 10; ++round) {
            std::deque<Bytes> qa, qb;
            qa.swap(out_a.q);
            qb.swap(out_b.q);
            for (auto& d : qa) deliver(*b, d, ep("198.51.100.1", "33000"), now);
            for (auto& d : qb) deliver(*a, d, ep("198.51.100.2", "33000"), now);
        }
    }
    // A sealed data datagram from a to b.
    Bytes data_from_a(uint32_t n, uint64_t now) {
        Packet& p = buf[0];
        Bytes f = frame(n);
        p.off = kHeadroom;
        p.len = static_cast<uint32_t>(f.size());
        std::memcpy(p.data(), f.data(), f.size());
        EXPECT_TRUE(a->outbound(p, now));
        return Bytes(p.data(), p.data() + p.len);
    }
};

TEST(PeerRoaming, AuthenticatedDatagramFromANewAddressMovesTheEndpoint) {
    Pair t;
    t.a->tick(1 * S);
    t.settle(1 * S);
    const Endpoint moved_to = ep("203.0.113.9", "40000");
    bool frame = false;
    EXPECT_TRUE(t.deliver(*t.b, t.data_from_a(1, 2 * S), moved_to, 2 * S, &frame));
    EXPECT_TRUE(frame);
    EXPECT_TRUE(t.b->endpoint() == moved_to);
    EXPECT_TRUE(t.b->endpoint_learned());
    EXPECT_EQ(t.b->endpoint_moves(), 1u);
}

TEST(PeerRoaming, ReplayedDatagramFromANewAddressMovesNothing) {
    Pair t;
    t.a->tick(1 * S);
    t.settle(1 * S);
    const Bytes d = t.data_from_a(1, 2 * S);
    EXPECT_FALSE(t.deliver(*t.b, d, ep("198.51.100.1", "33000"), 2 * S));  // the real one, from where a is
    EXPECT_FALSE(t.deliver(*t.b, d, ep("203.0.113.66", "666"), 3 * S));   // the attacker replays it from elsewhere
    EXPECT_TRUE(t.b->endpoint() == ep("198.51.100.1", "33000"));
    EXPECT_EQ(t.b->stats().dropped(DropReason::Replay), 1u);
}

TEST(PeerRoaming, ForgedDatagramFromANewAddressMovesNothing) {
    Pair t;
    t.a->tick(1 * S);
    t.settle(1 * S);
    Bytes d = t.data_from_a(1, 2 * S);
    d.back() ^= 1;  // the tag no longer verifies
    EXPECT_FALSE(t.deliver(*t.b, d, ep("203.0.113.66", "666"), 2 * S));
    EXPECT_TRUE(t.b->endpoint() == ep("198.51.100.1", "33000"));
    EXPECT_EQ(t.b->stats().dropped(DropReason::Auth), 1u);
}

TEST(PeerRoaming, ClearTextPeerNeverMoves) {
    Peer p(PeerConfig{"vlan3", "vlan3", ep("198.51.100.2", "33000"), ep("198.51.100.1", "33000")},
           std::make_unique<ClearCodec>());
    PacketBatch buf(1);
    Packet& in = buf[0];
    in.off = 0;
    in.len = 60;
    std::memset(in.buf, 2, 60);
    const Endpoint other = ep("203.0.113.66", "666");
    std::memcpy(&in.addr, other.sa(), other.len());
    in.addrlen = other.len();
    bool moved = true;
    EXPECT_TRUE(p.inbound(in, 1, moved));
    EXPECT_FALSE(moved);
    EXPECT_TRUE(p.endpoint() == ep("198.51.100.1", "33000"));
}

}  // namespace
}  // namespace tvpn
