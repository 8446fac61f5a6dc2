// The packet path and the path to each peer: frames over the interface's
// MTU are dropped and counted, TCP SYNs leave and arrive with their MSS
// clamped to what the paths carry, and DF is one setting per socket, so
// -pwd and clear peers cannot share one. Two datapaths over loopback in a
// private network namespace (nothing leaves the test).
#include <gtest/gtest.h>

#include "common/datapath/datapath.h"
#include "common/pwd/secure_codec.h"
#include "tests/unit/datapath_fakes.h"
#include "tests/unit/test_syn.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

// A frame from a's interface to b's.
void cross(TwoDatapaths& p, const Bytes& f) {
    p.dev_a->rx.push_back({f, {}});
    p.a.on_device_readable(0);
    p.b.on_socket_readable(0);
}

TEST(DatapathPath, AFrameOverTheInterfaceMtuIsDroppedAndCounted) {
    RUN_IN_PRIVATE_NETNS([] {
        TwoDatapaths p(false, false);
        p.a.set_mtu(0, 1500);
        cross(p, test_frame(1518, 1));  // 1500 with an Ethernet header and a VLAN tag
        cross(p, test_frame(1519, 2));
        ASSERT_EQ(p.dev_b->written.size(), 1u);
        EXPECT_EQ(p.dev_b->written[0].size(), 1518u);
        EXPECT_EQ(p.stats_a().dropped(DropReason::TooBig), 1u);
    });
}

TEST(DatapathPath, SynsAreClampedToWhatTheInterfaceAndTheRouteCarryWhole) {
    RUN_IN_PRIVATE_NETNS([] {
        TwoDatapaths p(false, false);
        p.a.set_mtu(0, 9000);
        p.b.set_mtu(0, 9000);  // (b clamps what arrives too, to its own interface's frames)
        // Loopback's route carries 64 KiB: the interfaces' 9018-byte frames are the limit.
        const size_t clamp = p.a.interfaces()[0].clamp_frame;
        EXPECT_GT(p.a.peers()[0].route_frame, 9018u);
        EXPECT_EQ(clamp, 9018u);
        syn::Syn s;
        s.mss = 9000;
        const Bytes f = syn::make_syn(s);
        cross(p, f);
        ASSERT_EQ(p.dev_b->written.size(), 1u);
        EXPECT_EQ(syn::mss_of(p.dev_b->written[0], s), clamp - 14 - 20 - 20);
        EXPECT_TRUE(syn::tcp_checksum_ok(p.dev_b->written[0], s));
        EXPECT_EQ(p.stats_a().mss_clamped, 1u);
    });
}

void pwd_and_clear_share_a_socket() {
        Logger log{"test", Logger::Sink::Silent};
        Datapath d{log};
        const Endpoint local = *Endpoint::resolve("127.0.0.1", "33000");
        const size_t ifc = d.add_interface(std::make_unique<FakeDevice>(false, false));
        SecureCodecConfig config;
        config.label = "test";
        auto pwd = SecureCodec::create(std::move(config), *crypto::spake2_password_raw(Bytes(32, 1)), log);
        ASSERT_TRUE(pwd);
        ASSERT_TRUE(d.add_peer(ifc, std::make_unique<Peer>(PeerConfig{"fake0", "one", local,
                                                                       *Endpoint::resolve("127.0.0.2", "1")},
                                                            std::move(*pwd))));
        EXPECT_TRUE(d.sockets()[0].socket.dont_fragment());
        auto clear = std::make_unique<Peer>(PeerConfig{"fake0", "two", local, *Endpoint::resolve("127.0.0.3", "1")},
                                            std::make_unique<ClearCodec>());
        auto st = d.add_peer(ifc, std::move(clear));
        ASSERT_FALSE(st);
        EXPECT_NE(st.message().find("mix -pwd with clear text"), std::string::npos) << st.message();
}

TEST(DatapathPath, PwdAndClearPeersCannotShareASocket) { RUN_IN_PRIVATE_NETNS(pwd_and_clear_share_a_socket); }

}  // namespace
