// Receive-side TCP coalescing: segments merged back into one super-frame that
// splits into exactly the same segments again.
#include "common/datapath/tcp_coalesce.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/datapath/checksum.h"
#include "tests/unit/test_frames.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

class VectorSink : public SegmentSink {
public:
    std::vector<std::vector<uint8_t>> segments;
    std::span<uint8_t> next(size_t size) override {
        buf_.assign(size, 0);
        return buf_;
    }
    void commit(size_t len) override { segments.emplace_back(buf_.begin(), buf_.begin() + static_cast<long>(len)); }

private:
    std::vector<uint8_t> buf_;
};

// The segments the sender's stack would put on the wire for one TSO frame.
std::vector<std::vector<uint8_t>> wire_segments(bool ipv6, size_t payload, uint16_t mss) {
    Frame f = make_frame(ipv6, true, payload);
    f.bytes[f.l4 + 13] = 0x18;  // ACK PSH: PSH only survives on the last segment
    OffloadHeader h;
    h.flags = OffloadHeader::kNeedsCsum;
    h.gso_type = ipv6 ? OffloadHeader::kGsoTcpV6 : OffloadHeader::kGsoTcpV4;
    h.gso_size = mss;
    h.csum_start = static_cast<uint16_t>(f.l4);
    h.csum_offset = 16;
    VectorSink sink;
    EXPECT_GT(gso_split(f.bytes, h, sink), 1u);
    return sink.segments;
}

}  // namespace

TEST(TcpCoalesce, MergedSegmentsSplitBackIntoTheSameSegments) {
    for (bool ipv6 : {false, true}) {
        SCOPED_TRACE(ipv6 ? "IPv6" : "IPv4");
        auto segs = wire_segments(ipv6, 30000, 1388);
        TcpCoalescer c;
        for (const auto& s : segs) ASSERT_TRUE(c.add(s));
        EXPECT_EQ(c.segments(), segs.size());
        OffloadHeader h;
        std::span<const uint8_t> merged = c.take(h);
        EXPECT_TRUE(c.empty());
        EXPECT_EQ(h.gso_size, 1388);
        EXPECT_EQ(h.gso_type, ipv6 ? OffloadHeader::kGsoTcpV6 : OffloadHeader::kGsoTcpV4);
        std::vector<uint8_t> copy(merged.begin(), merged.end());
        VectorSink again;
        ASSERT_EQ(gso_split(copy, h, again), segs.size());
        for (size_t i = 0; i < segs.size(); ++i) EXPECT_EQ(again.segments[i], segs[i]) << "segment " << i;
    }
}

TEST(TcpCoalesce, PartialChecksumCompletesToAValidOne) {
    auto segs = wire_segments(false, 5000, 1000);
    TcpCoalescer c;
    for (const auto& s : segs) ASSERT_TRUE(c.add(s));
    OffloadHeader h;
    auto merged = c.take(h);
    std::vector<uint8_t> f(merged.begin(), merged.end());
    ASSERT_TRUE(complete_checksum(f, h));
    const size_t l4 = h.csum_start;
    uint64_t pseudo = pseudo_header_v4(&f[14 + 12], &f[14 + 16], IPPROTO_TCP, static_cast<uint32_t>(f.size() - l4));
    EXPECT_EQ(checksum_finish(checksum_add(pseudo, {f.data() + l4, f.size() - l4})), 0);
    EXPECT_EQ(checksum_finish(checksum_add(0, {f.data() + 14, 20})), 0) << "IPv4 header checksum";
}

TEST(TcpCoalesce, OneSegmentComesBackUnchangedAndPlain) {
    auto segs = wire_segments(false, 3000, 1000);
    TcpCoalescer c;
    ASSERT_TRUE(c.add(segs[0]));
    OffloadHeader h;
    auto out = c.take(h);
    EXPECT_FALSE(h.is_gso());
    EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.end()), segs[0]);
}

TEST(TcpCoalesce, RefusesGapsOtherFlowsControlFlagsAndAfterPsh) {
    auto segs = wire_segments(false, 5000, 1000);  // 5 segments, PSH on the last
    TcpCoalescer c;
    ASSERT_TRUE(c.add(segs[0]));
    EXPECT_FALSE(c.add(segs[2])) << "a gap in the sequence";
    auto other = segs[1];
    other[14 + 19] ^= 1;  // another destination address
    EXPECT_FALSE(c.add(other));
    auto syn = segs[1];
    syn[14 + 20 + 13] |= 0x02;
    EXPECT_FALSE(c.add(syn));
    ASSERT_TRUE(c.add(segs[1]));
    ASSERT_TRUE(c.add(segs[2]));
    ASSERT_TRUE(c.add(segs[3]));
    ASSERT_TRUE(c.add(segs[4]));  // the PSH segment closes the train
    EXPECT_FALSE(c.add(wire_segments(false, 3000, 1000)[0]));
    EXPECT_EQ(c.segments(), 5u);
}

TEST(TcpCoalesce, IgnoresNonTcpAndMalformedFrames) {
    TcpCoalescer c;
    Frame udp = make_frame(false, false, 100);
    EXPECT_FALSE(c.add(udp.bytes));
    Frame vlan = make_frame(false, true, 100, true);
    EXPECT_FALSE(c.add(vlan.bytes));
    auto seg = wire_segments(false, 3000, 1000)[0];
    auto cut = seg;
    cut.resize(40);
    EXPECT_FALSE(c.add(cut));
    auto lying = seg;
    put16(lying.data() + 14 + 2, 9000);  // IP length beyond the frame
    EXPECT_FALSE(c.add(lying));
    EXPECT_TRUE(c.empty());
}
