// Which frames the fair queue treats as one flow.
#include "common/datapath/flow_hash.h"

#include <gtest/gtest.h>

#include <vector>

namespace tvpn {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes ipv4_udp(uint16_t sport, uint16_t frag = 0, size_t size = 100) {
    Bytes f(size, 0);
    f[0] = 0x02, f[6] = 0x02;
    f[12] = 0x08, f[13] = 0x00;
    f[14] = 0x45, f[23] = 17;
    f[20] = static_cast<uint8_t>(frag >> 8), f[21] = static_cast<uint8_t>(frag);
    f[26] = 192, f[27] = 168, f[29] = 1, f[30] = 192, f[31] = 168, f[33] = 2;
    f[34] = static_cast<uint8_t>(sport >> 8), f[35] = static_cast<uint8_t>(sport), f[37] = 53;
    return f;
}

Bytes ipv6_tcp(uint16_t sport) {
    Bytes f(100, 0);
    f[0] = 0x02, f[6] = 0x02;
    f[12] = 0x86, f[13] = 0xdd;
    f[14] = 0x60, f[20] = 6;
    f[22] = 0xfd, f[37] = 1, f[38] = 0xfd, f[53] = 2;
    f[54] = static_cast<uint8_t>(sport >> 8), f[55] = static_cast<uint8_t>(sport);
    return f;
}

Bytes tagged(Bytes f, uint16_t vid) {
    f.insert(f.begin() + 12, {0x81, 0x00, static_cast<uint8_t>(vid >> 8), static_cast<uint8_t>(vid)});
    return f;
}

TEST(FlowHash, ThePortsTellTwoUdpFlowsApartAndThePayloadDoesNot) {
    Bytes a = ipv4_udp(1000), b = ipv4_udp(1000);
    b[60] = 0x55;
    EXPECT_EQ(flow_hash(a, 1), flow_hash(b, 1));
    EXPECT_NE(flow_hash(a, 1), flow_hash(ipv4_udp(1001), 1));
}

TEST(FlowHash, AllFragmentsOfADatagramAreOneFlow) {
    // A later fragment holds no ports where the first would: its bytes there are payload.
    Bytes later = ipv4_udp(0x1234, 185);  // offset 185 * 8
    Bytes other = ipv4_udp(0x9999, 185);
    EXPECT_EQ(flow_hash(later, 1), flow_hash(other, 1));
    EXPECT_EQ(flow_hash(ipv4_udp(0x1234, 0x2000), 1), flow_hash(ipv4_udp(0x5678, 0x2000), 1));  // MF
}

TEST(FlowHash, Ipv6PortsCountAndVlansAreFlowsOfTheirOwn) {
    EXPECT_NE(flow_hash(ipv6_tcp(1), 1), flow_hash(ipv6_tcp(2), 1));
    EXPECT_EQ(flow_hash(tagged(ipv6_tcp(1), 5), 1), flow_hash(tagged(ipv6_tcp(1), 5), 1));
    EXPECT_NE(flow_hash(tagged(ipv6_tcp(1), 5), 1), flow_hash(tagged(ipv6_tcp(1), 6), 1));
    EXPECT_NE(flow_hash(tagged(ipv4_udp(1), 5), 1), flow_hash(tagged(ipv4_udp(2), 5), 1));  // behind a tag too
}

TEST(FlowHash, TheSeedChangesEveryHash) {
    EXPECT_NE(flow_hash(ipv4_udp(1000), 1), flow_hash(ipv4_udp(1000), 2));
}

TEST(FlowHash, ShortAndTruncatedFramesAreHashedWithoutReadingPastThem) {
    for (size_t n = 0; n <= 60; ++n) {
        const Bytes full = tagged(ipv4_udp(7, 0, 60), 3);
        const Bytes cut(full.begin(), full.begin() + static_cast<long>(n));
        (void)flow_hash(cut, 1);  // under ASan, any overread fails the run
    }
    Bytes bad_ihl = ipv4_udp(7);
    bad_ihl[14] = 0x4f;  // 60-byte header in a 100-byte frame: fits; 0x41 would not
    (void)flow_hash(bad_ihl, 1);
    bad_ihl[14] = 0x41;
    (void)flow_hash(bad_ihl, 1);
}

}  // namespace
}  // namespace tvpn
