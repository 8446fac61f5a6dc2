// Splitting of TSO/USO super-frames and completion of partial checksums.
#include "common/device/offload.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <vector>

#include "common/datapath/checksum.h"
#include "tests/unit/test_frames.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

// Verifies the IP and L4 checksums of one ordinary frame.
void expect_valid(const uint8_t* s, size_t len, bool ipv6, bool tcp, size_t l3, size_t l4) {
    uint64_t sum;
    if (!ipv6) {
        EXPECT_EQ(checksum_finish(checksum_add(0, {s + l3, l4 - l3})), 0) << "IPv4 header checksum";
        EXPECT_EQ(get16(s + l3 + 2), len - l3);
        sum = pseudo_header_v4(s + l3 + 12, s + l3 + 16, tcp ? IPPROTO_TCP : IPPROTO_UDP, static_cast<uint32_t>(len - l4));
    } else {
        EXPECT_EQ(get16(s + l3 + 4), len - l4);
        sum = pseudo_header_v6(s + l3 + 8, s + l3 + 24, tcp ? IPPROTO_TCP : IPPROTO_UDP, static_cast<uint32_t>(len - l4));
    }
    EXPECT_EQ(checksum_finish(checksum_add(sum, {s + l4, len - l4})), 0) << "L4 checksum";
    if (!tcp) {
        EXPECT_EQ(get16(s + l4 + 4), len - l4);
    }
}

class VectorSink : public SegmentSink {
public:
    std::vector<std::vector<uint8_t>> segments;
    size_t limit = 1000;
    std::span<uint8_t> next(size_t size) override {
        if (segments.size() >= limit) return {};
        buf_.assign(size, 0xee);
        return buf_;
    }
    void commit(size_t len) override { segments.emplace_back(buf_.begin(), buf_.begin() + static_cast<long>(len)); }

private:
    std::vector<uint8_t> buf_;
};

OffloadHeader gso_header(bool ipv6, bool tcp, uint16_t mss, const Frame& f) {
    OffloadHeader h;
    h.flags = OffloadHeader::kNeedsCsum;
    h.gso_type = tcp ? (ipv6 ? OffloadHeader::kGsoTcpV6 : OffloadHeader::kGsoTcpV4) : OffloadHeader::kGsoUdpL4;
    h.gso_size = mss;
    h.hdr_len = static_cast<uint16_t>(f.payload);
    h.csum_start = static_cast<uint16_t>(f.l4);
    h.csum_offset = tcp ? 16 : 6;
    return h;
}

void check_split(bool ipv6, bool tcp, size_t payload, uint16_t mss, bool vlan = false) {
    SCOPED_TRACE(testing::Message() << (ipv6 ? "IPv6" : "IPv4") << (tcp ? " TCP" : " UDP") << " payload " << payload);
    Frame f = make_frame(ipv6, tcp, payload, vlan);
    OffloadHeader h = gso_header(ipv6, tcp, mss, f);
    VectorSink sink;
    const size_t expected = (payload + mss - 1) / mss;
    ASSERT_EQ(gso_segment_count(f.bytes, h), expected);
    ASSERT_EQ(gso_split(f.bytes, h, sink), expected);
    ASSERT_EQ(sink.segments.size(), expected);
    std::vector<uint8_t> joined;
    for (size_t i = 0; i < expected; ++i) {
        const auto& s = sink.segments[i];
        const size_t chunk = std::min<size_t>(mss, payload - i * mss);
        ASSERT_EQ(s.size(), f.payload + chunk);
        expect_valid(s.data(), s.size(), ipv6, tcp, f.l3, f.l4);
        if (!ipv6) {
            EXPECT_EQ(get16(s.data() + f.l3 + 4), static_cast<uint16_t>(0x1234 + i));
        }
        if (tcp) {
            EXPECT_EQ(get32(s.data() + f.l4 + 4), static_cast<uint32_t>(0xfffff000u + i * mss));
            const uint8_t flags = s[f.l4 + 13];
            const bool last = i + 1 == expected;
            EXPECT_EQ((flags & 0x01) != 0, last) << "FIN only on the last segment";
            EXPECT_EQ((flags & 0x08) != 0, last) << "PSH only on the last segment";
            EXPECT_EQ((flags & 0x80) != 0, i == 0) << "CWR only on the first segment";
            EXPECT_TRUE(flags & 0x10) << "ACK on all";
        }
        joined.insert(joined.end(), s.begin() + static_cast<long>(f.payload), s.end());
    }
    EXPECT_TRUE(std::equal(joined.begin(), joined.end(), f.bytes.begin() + static_cast<long>(f.payload)));
}

}  // namespace

TEST(GsoSplit, TcpOverIpv4IntoMssSegmentsWithValidChecksums) { check_split(false, true, 64000, 1448); }
TEST(GsoSplit, TcpOverIpv6) { check_split(true, true, 20001, 1428); }
TEST(GsoSplit, UdpL4OverIpv4AndIpv6) {
    check_split(false, false, 9000, 1400);
    check_split(true, false, 4001, 1000);
}
TEST(GsoSplit, VlanTaggedFrame) { check_split(false, true, 5000, 1448, true); }
TEST(GsoSplit, PayloadThatIsAnExactMultiple) { check_split(false, true, 1448 * 3, 1448); }

TEST(GsoSplit, RejectsInconsistentFrames) {
    Frame f = make_frame(false, true, 3000);
    OffloadHeader h = gso_header(false, true, 1000, f);
    VectorSink sink;
    OffloadHeader tiny = h;
    tiny.gso_size = 0;
    EXPECT_EQ(gso_split(f.bytes, tiny, sink), 0u);
    OffloadHeader v6 = h;
    v6.gso_type = OffloadHeader::kGsoTcpV6;  // IPv4 frame claimed as IPv6
    EXPECT_EQ(gso_split(f.bytes, v6, sink), 0u);
    std::vector<uint8_t> cut(f.bytes.begin(), f.bytes.begin() + 40);  // header cut short
    EXPECT_EQ(gso_segment_count(cut, h), 0u);
    Frame bad = f;
    bad.bytes[f.l3] = 0x44;  // IHL below 5
    EXPECT_EQ(gso_segment_count(bad.bytes, h), 0u);
    Frame frag = f;
    put16(frag.bytes.data() + f.l3 + 6, 0x2000);  // more fragments
    EXPECT_EQ(gso_segment_count(frag.bytes, h), 0u);
    Frame arp = f;
    put16(arp.bytes.data() + 12, 0x0806);
    EXPECT_EQ(gso_segment_count(arp.bytes, h), 0u);
    sink.limit = 1;  // the sink runs out of buffers
    EXPECT_EQ(gso_split(f.bytes, h, sink), 0u);
}

TEST(CompleteChecksum, FinishesAPartialTcpChecksumAsTheNicWould) {
    for (bool ipv6 : {false, true}) {
        Frame f = make_frame(ipv6, true, 999);  // odd length
        uint8_t* b = f.bytes.data();
        const uint32_t l4len = static_cast<uint32_t>(f.bytes.size() - f.l4);
        uint64_t pseudo = ipv6 ? pseudo_header_v6(b + f.l3 + 8, b + f.l3 + 24, IPPROTO_TCP, l4len)
                               : pseudo_header_v4(b + f.l3 + 12, b + f.l3 + 16, IPPROTO_TCP, l4len);
        // The kernel leaves the folded, uncomplemented pseudo-header sum in the field.
        uint16_t partial = static_cast<uint16_t>(~checksum_finish(pseudo));
        std::memcpy(b + f.l4 + 16, &partial, 2);
        OffloadHeader h;
        h.flags = OffloadHeader::kNeedsCsum;
        h.csum_start = static_cast<uint16_t>(f.l4);
        h.csum_offset = 16;
        ASSERT_TRUE(complete_checksum(f.bytes, h));
        EXPECT_EQ(checksum_finish(checksum_add(pseudo, {b + f.l4, l4len})), 0);
    }
}

TEST(CompleteChecksum, RejectsOffsetsOutsideTheFrame) {
    std::vector<uint8_t> frame(60, 0);
    OffloadHeader h;
    h.flags = OffloadHeader::kNeedsCsum;
    h.csum_start = 60;
    EXPECT_FALSE(complete_checksum(frame, h));
    h.csum_start = 50;
    h.csum_offset = 9;
    EXPECT_FALSE(complete_checksum(frame, h));
    h.flags = 0;  // nothing to do
    EXPECT_TRUE(complete_checksum(frame, h));
}
