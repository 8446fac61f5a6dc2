// Re-resolving a peer's host name: a lookup runs in the background and
// finishes; a result that differs from the endpoint is a candidate, never
// the endpoint itself.
#include "vnddvpnd/peer_resolver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

using namespace tvpn;

TEST(PeerResolver, ALookupFinishesInTheBackground) {
    HostLookup lookup("127.0.0.1", "33000", AF_INET);  // numeric: no name service needed
    ASSERT_TRUE(lookup.started());
    for (int i = 0; i < 500 && !lookup.done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(lookup.done());
    ASSERT_TRUE(lookup.result());
    EXPECT_EQ(lookup.result()->to_string(), "127.0.0.1:33000");
}

TEST(PeerResolver, ANewAddressIsOnlyACandidate) {
    const Endpoint now = *Endpoint::resolve("198.51.100.2", "33000");
    EXPECT_EQ(judge(now, now), Resolved::Same);
    EXPECT_EQ(judge(now, *Endpoint::resolve("198.51.100.3", "33000")), Resolved::NewCandidate);
    EXPECT_EQ(judge(now, std::nullopt), Resolved::Failed);
}

TEST(PeerResolver, TheEndpointMovesToTheCandidateOnlyThroughTheRoamingRule) {
    class Authentic final : public FrameCodec {
    public:
        const char* name() const override { return "test"; }
        SealResult seal(Packet&, uint64_t) override { return SealResult::send(); }
        OpenResult open(Packet&, uint64_t) override { return OpenResult::authentic_consumed(); }
        bool authenticates() const override { return true; }
    };
    const Endpoint local = *Endpoint::resolve("198.51.100.1", "33000");
    const Endpoint old_ep = *Endpoint::resolve("198.51.100.2", "33000");
    const Endpoint new_ep = *Endpoint::resolve("198.51.100.3", "33000");
    Peer peer(PeerConfig{"vlan3", "vlan3", local, old_ep, "peer.test", "33000"}, std::make_unique<Authentic>());
    peer.set_candidate(new_ep);
    EXPECT_TRUE(peer.endpoint() == old_ep);  // a candidate is not the endpoint
    PacketBatch b(1);
    Packet& p = b[0];
    p.off = 0;
    p.len = 40;
    std::memcpy(&p.addr, new_ep.sa(), new_ep.len());
    p.addrlen = new_ep.len();
    bool moved = false;
    peer.inbound(p, 1, moved);
    EXPECT_TRUE(moved);
    EXPECT_TRUE(peer.endpoint() == new_ep);
    EXPECT_FALSE(peer.candidate());  // it proved itself
}
