// Two peer cores talking to each other in process: no devices, no sockets.
#include "common/datapath/peer.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace tvpn;

namespace {

struct Pair {
    Peer a{PeerConfig{"vlan3", "vlan3", *Endpoint::resolve("198.51.100.1", "33000"),
                      *Endpoint::resolve("198.51.100.2", "33000")},
           std::make_unique<ClearCodec>()};
    Peer b{PeerConfig{"vlan3", "vlan3", *Endpoint::resolve("198.51.100.2", "33000"),
                      *Endpoint::resolve("198.51.100.1", "33000")},
           std::make_unique<ClearCodec>()};
};

// Copies the datagram `out` produced by one side into a packet as received by
// the other, with the sender's address as source.
void deliver(const Packet& out, const Endpoint& from, Packet& in) {
    in.off = 0;
    in.len = out.len;
    std::memcpy(in.buf, out.data(), out.len);
    std::memcpy(&in.addr, from.sa(), from.len());
    in.addrlen = from.len();
}

}  // namespace

TEST(Peer, ClearFrameCrossesUnchangedAndIsCounted) {
    Pair p;
    PacketBatch batch(2);
    Packet& out = batch[0];
    out.off = kHeadroom;
    out.len = 60;
    for (uint32_t i = 0; i < out.len; ++i) out.data()[i] = static_cast<uint8_t>(i);
    ASSERT_TRUE(p.a.outbound(out, 1));
    EXPECT_EQ(Endpoint(reinterpret_cast<sockaddr*>(&out.addr), out.addrlen), *p.a.config().remote);

    Packet& in = batch[1];
    deliver(out, p.a.config().local, in);
    ASSERT_TRUE(p.b.is_peer(in));
    bool moved = false;
    ASSERT_TRUE(p.b.inbound(in, 5, moved));
    EXPECT_FALSE(moved);
    ASSERT_EQ(in.len, 60u);
    for (uint32_t i = 0; i < in.len; ++i) EXPECT_EQ(in.data()[i], i);
    EXPECT_EQ(p.a.stats().frames_out, 1u);
    EXPECT_EQ(p.a.stats().bytes_out, 60u);
    EXPECT_EQ(p.b.stats().frames_in, 1u);
    EXPECT_EQ(p.b.stats().last_rx_ns, 5u);
}

TEST(Peer, DatagramFromAnotherSourceIsNotThePeers) {
    Pair p;
    PacketBatch batch(1);
    Packet& in = batch[0];
    auto stranger = Endpoint::resolve("198.51.100.1", "33001");
    std::memcpy(&in.addr, stranger->sa(), stranger->len());
    in.addrlen = stranger->len();
    EXPECT_FALSE(p.b.is_peer(in));
}

TEST(Peer, RuntDatagramIsDroppedAsMalformed) {
    Pair p;
    PacketBatch batch(1);
    Packet& in = batch[0];
    in.off = 0;
    in.len = 13;  // shorter than an Ethernet header
    bool moved = false;
    EXPECT_FALSE(p.b.inbound(in, 1, moved));
    EXPECT_EQ(p.b.stats().dropped(DropReason::Malformed), 1u);
    EXPECT_EQ(p.b.stats().frames_in, 0u);
}
