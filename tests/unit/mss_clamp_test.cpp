#include "common/datapath/mss_clamp.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/datapath/checksum.h"
#include "tests/unit/test_syn.h"

namespace tvpn {
namespace {

using namespace test::syn;

// max_frame 1394: 1394 - 14 - 20 - 20 = 1340 for IPv4.
TEST(MssClamp, Ipv4SynIsClampedToWhatFitsAndItsChecksumStaysRight) {
    Syn s;
    Bytes f = make_syn(s);
    ASSERT_TRUE(tcp_checksum_ok(f, s));
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped);
    EXPECT_EQ(mss_of(f, s), 1340);
    EXPECT_TRUE(tcp_checksum_ok(f, s));
}

TEST(MssClamp, Ipv6SynIsClampedWithItsLargerHeader) {
    Syn s;
    s.v6 = true;
    Bytes f = make_syn(s);
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped);
    EXPECT_EQ(mss_of(f, s), 1320);
    EXPECT_TRUE(tcp_checksum_ok(f, s));
}

TEST(MssClamp, Ipv6SynBehindAHopByHopHeaderIsClamped) {
    Syn s;
    s.v6 = true;
    s.hop_by_hop = true;
    Bytes f = make_syn(s);
    ASSERT_TRUE(tcp_checksum_ok(f, s));
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped);
    EXPECT_EQ(mss_of(f, s), 1320);
    EXPECT_TRUE(tcp_checksum_ok(f, s));
}

TEST(MssClamp, VlanTaggedSynsLeaveRoomForTheirTags) {
    for (int tags : {1, 2}) {
        Syn s;
        s.tags = tags;
        Bytes f = make_syn(s);
        EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped);
        EXPECT_EQ(mss_of(f, s), 1340 - 4 * tags);
        EXPECT_TRUE(tcp_checksum_ok(f, s));
    }
}

TEST(MssClamp, SynAckIsClampedToo) {
    Syn s;
    s.flags = 0x12;
    Bytes f = make_syn(s);
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped);
    EXPECT_TRUE(tcp_checksum_ok(f, s));
}

TEST(MssClamp, OptionAtAnOddOffsetKeepsTheChecksumRight) {
    for (size_t nops : {1u, 2u, 3u}) {
        Syn s;
        s.nops_before = nops;
        s.mss = 0xffff;
        Bytes f = make_syn(s);
        EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Clamped) << nops;
        EXPECT_EQ(mss_of(f, s), 1340);
        EXPECT_TRUE(tcp_checksum_ok(f, s)) << nops;
    }
}

TEST(MssClamp, SmallEnoughMssAndMissingOptionAreLeftAlone) {
    Syn s;
    s.mss = 1200;
    Bytes f = make_syn(s), before = f;
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Fits);
    EXPECT_EQ(f, before);
    s.with_mss = false;
    f = make_syn(s);
    before = f;
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::Fits);
    EXPECT_EQ(f, before);
}

TEST(MssClamp, NonSynSegmentsAndLaterFragmentsAreLeftAlone) {
    Syn ack;
    ack.flags = 0x10;
    Bytes f = make_syn(ack), before = f;
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::NotSyn);
    EXPECT_EQ(f, before);
    Syn frag;
    frag.frag_offset = 0x0010;
    f = make_syn(frag);
    EXPECT_EQ(clamp_mss(f, 1394, false), MssClamp::NotSyn);
}

TEST(MssClamp, PartialChecksumIsNotTouched) {
    Syn s;
    Bytes f = make_syn(s);
    const size_t sum_at = tcp_offset(f, s) + 16;
    const uint16_t before = be16(&f[sum_at]);
    EXPECT_EQ(clamp_mss(f, 1394, true), MssClamp::Clamped);
    EXPECT_EQ(be16(&f[sum_at]), before);
    EXPECT_EQ(mss_of(f, s), 1340);
}

TEST(MssClamp, TruncatedFramesAreNeverReadPastTheirEnd) {
    for (bool v6 : {false, true}) {
        Syn s;
        s.v6 = v6;
        const Bytes whole = make_syn(s);
        for (size_t n = 0; n < whole.size(); ++n) {
            Bytes cut(whole.begin(), whole.begin() + long(n));  // ASan checks the reads
            EXPECT_NE(clamp_mss(cut, 1394, false), MssClamp::Clamped) << n;
        }
    }
}

}  // namespace
}  // namespace tvpn
