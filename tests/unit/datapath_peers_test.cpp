// Peers that join and leave a running interface (a reload): a hub with three
// spokes over loopback, clear codecs, fake devices. A removed spoke's MACs
// leave the switch while the others' stay learnt; its socket stays; the
// remaining peers keep their objects (sessions) and are found by name; a
// spoke added later is reached and the others' MACs survive that too.
#include <gtest/gtest.h>

#include "common/datapath/datapath.h"
#include "tests/unit/datapath_fakes.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

Bytes eth_frame(uint8_t dst, uint8_t src, bool broadcast = false) {
    Bytes f = test_frame(100, src);
    for (int i = 0; i < 6; ++i) f[i] = broadcast ? 0xff : 0;
    if (!broadcast) f[0] = 0x02, f[5] = dst;
    for (int i = 6; i < 12; ++i) f[i] = 0;
    f[6] = 0x02, f[11] = src;
    return f;
}

Endpoint at(int port) { return *Endpoint::resolve("127.0.0.1", std::to_string(port)); }

struct Spoke {
    Datapath dp;
    FakeDevice* dev;
    Spoke(Logger& log, int port) : dp(log) {
        auto d = std::make_unique<FakeDevice>(false, false);
        dev = d.get();
        EXPECT_TRUE(dp.add_tunnel(std::make_unique<Peer>(PeerConfig{"vlan3", "s" + std::to_string(port - 33000), at(port),
                                                                    at(33000)},
                                                         std::make_unique<ClearCodec>()),
                                  std::move(d)));
    }
};

struct Hub {
    Logger log{"test", Logger::Sink::Silent};
    Datapath hub{log};
    FakeDevice* dev_hub;
    std::vector<std::unique_ptr<Spoke>> spokes;  // s1 at 33001, s2 at 33002, ...
    size_t ifc;

    explicit Hub(int n) {
        auto dh = std::make_unique<FakeDevice>(false, false);
        dev_hub = dh.get();
        ifc = hub.add_interface(std::move(dh));
        for (int i = 1; i <= n; ++i) add_spoke(i);
    }
    void add_spoke(int i) {
        spokes.push_back(std::make_unique<Spoke>(log, 33000 + i));
        EXPECT_TRUE(hub.add_peer(ifc, std::make_unique<Peer>(PeerConfig{"vlan3", "s" + std::to_string(i), at(33000),
                                                                        at(33000 + i)},
                                                             std::make_unique<ClearCodec>())));
    }
    Spoke& s(int i) { return *spokes[i - 1]; }
    void settle() {
        for (int round = 0; round < 3; ++round) {
            hub.on_socket_readable(0);
            for (auto& sp : spokes) sp->dp.on_socket_readable(0);
        }
    }
    // Spoke i sends a broadcast from MAC `mac`: the hub learns it behind i.
    void announce(int i, uint8_t mac) {
        s(i).dev->rx.push_back({eth_frame(0, mac, true), {}});
        s(i).dp.on_device_readable(0);
        settle();
        clear();
    }
    // The hub's interface sends to MAC `mac`.
    void hub_sends_to(uint8_t mac) {
        dev_hub->rx.push_back({eth_frame(mac, 0xf0), {}});
        hub.on_device_readable(0);
        settle();
    }
    void clear() {
        dev_hub->written.clear();
        for (auto& sp : spokes) sp->dev->written.clear();
    }
};

}  // namespace

TEST(DatapathPeers, ARemovedPeersMacsGoAndTheOthersStay) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h(3);
        h.announce(1, 0xa);
        h.announce(2, 0xb);
        h.announce(3, 0xc);
        const Peer* s2 = h.hub.peers()[*h.hub.find_peer("vlan3", "s2")].peer.get();
        const Peer* s3 = h.hub.peers()[*h.hub.find_peer("vlan3", "s3")].peer.get();
        auto gone = h.hub.remove_peer(*h.hub.find_peer("vlan3", "s1"));
        ASSERT_NE(gone, nullptr);
        EXPECT_EQ(gone->config().name, "s1");
        EXPECT_FALSE(h.hub.find_peer("vlan3", "s1"));
        // The others are the same objects, found by name at their new indices.
        ASSERT_EQ(h.hub.peers().size(), 2u);
        EXPECT_EQ(h.hub.peers()[*h.hub.find_peer("vlan3", "s2")].peer.get(), s2);
        EXPECT_EQ(h.hub.peers()[*h.hub.find_peer("vlan3", "s3")].peer.get(), s3);
        EXPECT_EQ(h.hub.sockets().size(), 1u);  // shared: stays
        // s2's and s3's MACs are still learnt behind their (renumbered) ports.
        h.hub_sends_to(0xc);
        EXPECT_EQ(h.s(3).dev->written.size(), 1u);
        EXPECT_TRUE(h.s(2).dev->written.empty());
        h.clear();
        h.hub_sends_to(0xb);
        EXPECT_EQ(h.s(2).dev->written.size(), 1u);
        EXPECT_TRUE(h.s(3).dev->written.empty());
        h.clear();
        // s1's MAC is unknown now: flooded to those left, nothing to s1.
        h.hub_sends_to(0xa);
        EXPECT_EQ(h.s(2).dev->written.size(), 1u);
        EXPECT_EQ(h.s(3).dev->written.size(), 1u);
        EXPECT_TRUE(h.s(1).dev->written.empty());
        const auto& table = h.hub.interfaces()[0].sw->table();
        EXPECT_EQ(table.size(), 3u);  // 0xb, 0xc and the hub's own 0xf0
        EXPECT_EQ(table.port_entries(1) + table.port_entries(2), 2u);
    });
}

TEST(DatapathPeers, ARemovedPeerGetsNothingMoreAndItsDatagramsAreUnknown) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h(2);
        h.hub.remove_peer(*h.hub.find_peer("vlan3", "s1"));
        EXPECT_EQ(h.hub.interfaces()[0].sw, nullptr);  // one peer left: no switch
        const Bytes f = eth_frame(0x1, 0x2, true);
        h.dev_hub->rx.push_back({f, {}});
        h.hub.on_device_readable(0);
        h.settle();
        EXPECT_TRUE(h.s(1).dev->written.empty());
        ASSERT_EQ(h.s(2).dev->written.size(), 1u);
        const uint64_t unknown = h.hub.sockets()[0].unknown_source;
        h.s(1).dev->rx.push_back({f, {}});
        h.s(1).dp.on_device_readable(0);
        h.settle();
        EXPECT_EQ(h.hub.sockets()[0].unknown_source, unknown + 1);
        EXPECT_TRUE(h.dev_hub->written.empty());
    });
}

TEST(DatapathPeers, APeerAddedLaterIsReachedAndTheOthersKeepTheirMacs) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h(2);
        h.announce(1, 0xa);
        h.announce(2, 0xb);
        h.add_spoke(3);
        h.announce(3, 0xc);
        h.hub_sends_to(0xc);
        EXPECT_EQ(h.s(3).dev->written.size(), 1u);
        EXPECT_TRUE(h.s(1).dev->written.empty() && h.s(2).dev->written.empty());
        h.clear();
        h.hub_sends_to(0xa);  // learnt before s3 came: still known
        EXPECT_EQ(h.s(1).dev->written.size(), 1u);
        EXPECT_TRUE(h.s(2).dev->written.empty() && h.s(3).dev->written.empty());
    });
}

TEST(DatapathPeers, ARemovedPeerCanComeBackWithItsState) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h(2);
        h.announce(1, 0xa);
        auto s1 = h.hub.remove_peer(*h.hub.find_peer("vlan3", "s1"));
        const uint64_t in = s1->stats().frames_in;
        EXPECT_GT(in, 0u);
        ASSERT_TRUE(h.hub.add_peer(0, std::move(s1)));
        EXPECT_EQ(h.hub.peers()[*h.hub.find_peer("vlan3", "s1")].peer->stats().frames_in, in);
        h.announce(1, 0xa);
        h.hub_sends_to(0xa);
        EXPECT_EQ(h.s(1).dev->written.size(), 1u);
    });
}
