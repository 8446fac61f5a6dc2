// An interface with several peers: a hub datapath and two spokes over
// loopback in a private network namespace, clear codecs, fake devices. The
// hub's switch floods what it does not know, sends what it learnt to one
// port only, and relays spoke-to-spoke frames itself.
#include <gtest/gtest.h>

#include "common/datapath/datapath.h"
#include "tests/unit/datapath_fakes.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

Bytes eth_frame(uint8_t dst, uint8_t src, size_t size = 100, bool broadcast = false) {
    Bytes f = test_frame(size, src);
    for (int i = 0; i < 6; ++i) f[i] = broadcast ? 0xff : 0;
    if (!broadcast) f[0] = 0x02, f[5] = dst;
    for (int i = 6; i < 12; ++i) f[i] = 0;
    f[6] = 0x02, f[11] = src;
    return f;
}

struct Hub {
    Logger log{"test", Logger::Sink::Silent};
    Datapath hub{log}, s1{log}, s2{log};
    FakeDevice *dev_hub, *dev_s1, *dev_s2;

    Hub() {
        auto eh = *Endpoint::resolve("127.0.0.1", "33000"), e1 = *Endpoint::resolve("127.0.0.1", "33001"),
             e2 = *Endpoint::resolve("127.0.0.1", "33002");
        auto dh = std::make_unique<FakeDevice>(false, false), d1 = std::make_unique<FakeDevice>(false, false),
             d2 = std::make_unique<FakeDevice>(false, false);
        dev_hub = dh.get(), dev_s1 = d1.get(), dev_s2 = d2.get();
        const size_t ifc = hub.add_interface(std::move(dh));
        EXPECT_TRUE(hub.add_peer(ifc, std::make_unique<Peer>(PeerConfig{"vlan3", "s1", eh, e1},
                                                             std::make_unique<ClearCodec>())));
        EXPECT_TRUE(hub.add_peer(ifc, std::make_unique<Peer>(PeerConfig{"vlan3", "s2", eh, e2},
                                                             std::make_unique<ClearCodec>())));
        EXPECT_TRUE(s1.add_tunnel(std::make_unique<Peer>(PeerConfig{"vlan3", "s1", e1, eh}, std::make_unique<ClearCodec>()),
                                  std::move(d1)));
        EXPECT_TRUE(s2.add_tunnel(std::make_unique<Peer>(PeerConfig{"vlan3", "s2", e2, eh}, std::make_unique<ClearCodec>()),
                                  std::move(d2)));
    }
    // Everything in flight reaches its device.
    void settle() {
        for (int round = 0; round < 3; ++round) {
            hub.on_socket_readable(0);
            s1.on_socket_readable(0);
            s2.on_socket_readable(0);
        }
    }
};

}  // namespace

TEST(DatapathSwitch, BroadcastFromASpokeReachesTheHubAndTheOtherSpokeOnly) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h;
        const Bytes b = eth_frame(0, 0xa, 120, true);
        h.dev_s1->rx.push_back({b, {}});
        h.s1.on_device_readable(0);
        h.settle();
        ASSERT_EQ(h.dev_hub->written.size(), 1u);
        EXPECT_EQ(h.dev_hub->written[0], b);
        ASSERT_EQ(h.dev_s2->written.size(), 1u);
        EXPECT_EQ(h.dev_s2->written[0], b);
        EXPECT_TRUE(h.dev_s1->written.empty());  // split horizon
    });
}

TEST(DatapathSwitch, LearntStationIsReachedThroughItsSpokeOnly) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h;
        h.dev_s1->rx.push_back({eth_frame(0, 0xa, 80, true), {}});  // teaches the hub: 0xa behind s1
        h.s1.on_device_readable(0);
        h.settle();
        h.dev_hub->written.clear();
        h.dev_s2->written.clear();
        const Bytes to_a = eth_frame(0xa, 0xb, 1000);
        h.dev_s2->rx.push_back({to_a, {}});
        h.s2.on_device_readable(0);
        h.settle();
        ASSERT_EQ(h.dev_s1->written.size(), 1u);  // relayed by the hub's daemon
        EXPECT_EQ(h.dev_s1->written[0], to_a);
        EXPECT_TRUE(h.dev_hub->written.empty());
        // The hub's own interface reaches 0xb through s2 now, and nothing else.
        const Bytes to_b = eth_frame(0xb, 0xc, 300);
        h.dev_hub->rx.push_back({to_b, {}});
        h.hub.on_device_readable(0);
        h.settle();
        ASSERT_EQ(h.dev_s2->written.size(), 1u);
        EXPECT_EQ(h.dev_s2->written[0], to_b);
        EXPECT_EQ(h.dev_s1->written.size(), 1u);
    });
}

TEST(DatapathSwitch, UnknownUnicastFromTheHubIsFloodedToEverySpoke) {
    RUN_IN_PRIVATE_NETNS([] {
        Hub h;
        std::vector<Bytes> sent;
        for (uint8_t i = 0; i < 100; ++i) sent.push_back(eth_frame(0x70 + (i % 5), 0xc, 60 + i * 13));
        for (const Bytes& f : sent) h.dev_hub->rx.push_back({f, {}});
        h.hub.on_device_readable(0);  // more copies than one burst holds: flushed on the way
        h.settle();
        // Five destinations are five flows: each keeps its order (the fair
        // queue may interleave them).
        for (uint8_t dst = 0x70; dst < 0x75; ++dst) {
            auto to = [dst](const std::vector<Bytes>& frames) {
                std::vector<Bytes> out;
                for (const Bytes& f : frames)
                    if (f[5] == dst) out.push_back(f);
                return out;
            };
            EXPECT_EQ(to(h.dev_s1->written), to(sent)) << int(dst);
            EXPECT_EQ(to(h.dev_s2->written), to(sent)) << int(dst);
        }
        EXPECT_EQ(h.dev_s1->written.size(), sent.size());
        EXPECT_EQ(h.dev_s2->written.size(), sent.size());
    });
}
