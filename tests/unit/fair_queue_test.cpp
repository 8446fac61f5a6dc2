// The fair queue between an interface and the packet path: each flow keeps
// its order, a new flow is served before a backlogged one, and when full it
// drops from the head of the flow holding the most, never from the others.
#include "common/datapath/fair_queue.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace tvpn {
namespace {

using Bytes = std::vector<uint8_t>;

// An IPv4/UDP frame of `size` bytes from port `sport`; byte 42 on carries `tag`.
Bytes udp_frame(uint16_t sport, size_t size, uint8_t tag) {
    Bytes f(size, 0);
    f[0] = 0x02, f[5] = 0x0b, f[6] = 0x02, f[11] = 0x0a;
    f[12] = 0x08, f[13] = 0x00;
    f[14] = 0x45, f[23] = 17;
    f[26] = 192, f[27] = 168, f[28] = 1, f[29] = 1, f[30] = 192, f[31] = 168, f[32] = 1, f[33] = 2;
    f[34] = static_cast<uint8_t>(sport >> 8), f[35] = static_cast<uint8_t>(sport), f[37] = 53;
    if (size > 42) f[42] = tag;
    return f;
}

size_t push(FairQueue& q, const Bytes& f) {
    std::memcpy(q.read_buffer().data(), f.data(), f.size());
    return q.push_read(f.size(), {});
}

// Pops everything: (source port, tag) of each frame in the order served.
std::vector<std::pair<int, int>> drain(FairQueue& q) {
    std::vector<std::pair<int, int>> out;
    while (auto f = q.pop()) out.emplace_back(f->bytes[34] << 8 | f->bytes[35], f->bytes.size() > 42 ? f->bytes[42] : -1);
    return out;
}

TEST(FairQueue, OneFlowLeavesInTheOrderItCame) {
    FairQueue q(1);
    for (uint8_t i = 0; i < 100; ++i) EXPECT_EQ(push(q, udp_frame(1000, 60 + i * 14, i)), 0u);
    EXPECT_EQ(q.frames(), 100u);
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(out[i].second, i);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.bytes(), 0u);
}

TEST(FairQueue, AFrameBehindABulkBacklogLeavesNearlyFirst) {
    FairQueue q(2);
    for (uint8_t i = 0; i < 200; ++i) push(q, udp_frame(5001, 1514, i));
    push(q, udp_frame(7, 98, 0xaa));  // a ping-sized frame of another flow
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 201u);
    // The bulk flow used its turn on its first frame; the new flow is next.
    EXPECT_EQ(out[1], std::make_pair(7, 0xaa));
}

TEST(FairQueue, SuperFramesBehindABacklogAreServedInTurnNotLast) {
    FairQueue q(3);
    for (uint8_t i = 0; i < 8; ++i) push(q, udp_frame(5001, 60000, i));
    for (uint8_t i = 0; i < 3; ++i) push(q, udp_frame(6000, 1000, i));
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 11u);
    size_t last_small = 0;
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].first == 6000) last_small = i;
    EXPECT_LT(last_small, 4u);  // not after the eight super-frames
}

TEST(FairQueue, TwoBulkFlowsShareTurnsByBytes) {
    FairQueue q(4);
    for (uint8_t i = 0; i < 50; ++i) {
        push(q, udp_frame(1, 1514, i));
        push(q, udp_frame(2, 1514, i));
    }
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 100u);
    int lead = 0, most = 0;
    for (const auto& [port, tag] : out) {
        lead += port == 1 ? 1 : -1;
        most = std::max(most, std::abs(lead));
    }
    EXPECT_LE(most, 2);  // never more than a frame or two ahead
}

TEST(FairQueue, WhenFullItDropsTheOldestOfTheFattestFlowOnly) {
    FairQueue::Limits limits;
    limits.bytes = 100 * 1514;
    FairQueue q(5, limits);
    push(q, udp_frame(9, 100, 1));
    size_t dropped = 0;
    for (int i = 0; i < 150; ++i) dropped += push(q, udp_frame(5001, 1514, static_cast<uint8_t>(i)));
    EXPECT_EQ(dropped, 51u);  // 100 * 1514 bytes hold 99 of them beside the small one
    EXPECT_LE(q.bytes(), limits.bytes);
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 100u);
    EXPECT_EQ(out[0], std::make_pair(9, 1));  // the small flow lost nothing
    // Dropped from the head: the bulk flow's newest frames remain, in order.
    for (size_t i = 1; i < out.size(); ++i) EXPECT_EQ(out[i].second, static_cast<int>(50 + i));
}

TEST(FairQueue, RunningOutOfSuperFrameSlotsDropsAndKeepsReading) {
    FairQueue::Limits limits;
    limits.large_slots = 4;
    FairQueue q(6, limits);
    size_t dropped = 0;
    for (uint8_t i = 0; i < 10; ++i) dropped += push(q, udp_frame(5001, 30000, i));
    EXPECT_EQ(dropped, 7u);  // 4 slots: one is always kept free to read into
    EXPECT_EQ(q.frames(), 3u);
    EXPECT_EQ(q.read_buffer().size(), FairQueue::kLargeSlot);
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].second, 7);
}

TEST(FairQueue, SmallFramesBeyondTheirSlotsDropTheOldestOfTheirFlowNotSuperFrames) {
    FairQueue::Limits limits;
    limits.small_slots = 8;
    limits.large_slots = 3;
    FairQueue q(7, limits);
    push(q, udp_frame(2, 20000, 0xbb));  // a super-frame of another flow
    size_t dropped = 0;
    for (uint8_t i = 0; i < 20; ++i) dropped += push(q, udp_frame(1, 64, i));
    EXPECT_EQ(q.frames(), 9u);  // 8 small slots; small frames take no large one
    EXPECT_EQ(dropped, 12u);
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 9u);
    EXPECT_EQ(out[0], std::make_pair(2, 0xbb));
    for (size_t i = 1; i < out.size(); ++i) EXPECT_EQ(out[i].second, static_cast<int>(11 + i));
}

TEST(FairQueue, WithoutSmallSlotsSmallFramesTakeLargeOnes) {
    FairQueue::Limits limits;
    limits.small_slots = 0;
    limits.large_slots = 3;
    FairQueue q(11, limits);
    size_t dropped = 0;
    for (uint8_t i = 0; i < 5; ++i) dropped += push(q, udp_frame(1, 64, i));
    EXPECT_EQ(q.frames(), 2u);  // one large slot stays free to read into
    EXPECT_EQ(dropped, 3u);
    const auto out = drain(q);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].second, 4);
}

TEST(FairQueue, ClearEmptiesItAndEverySlotIsUsableAgain) {
    FairQueue::Limits limits;
    limits.small_slots = 4;
    limits.large_slots = 2;
    FairQueue q(8, limits);
    for (uint8_t i = 0; i < 4; ++i) push(q, udp_frame(i, 64, i));
    q.clear();
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(q.pop());
    size_t dropped = 0;
    for (uint8_t i = 0; i < 4; ++i) dropped += push(q, udp_frame(i, 64, i));
    EXPECT_EQ(dropped, 0u);
    EXPECT_EQ(drain(q).size(), 4u);
}

TEST(FairQueue, CopiesAFrameFromABatchAndKeepsItsOffloadHeader) {
    FairQueue q(9);
    const Bytes f = udp_frame(3, 500, 0x42);
    OffloadHeader h;
    h.flags = OffloadHeader::kNeedsCsum;
    h.csum_start = 34;
    h.csum_offset = 6;
    EXPECT_EQ(q.push_copy(f, h), 0u);
    EXPECT_EQ(q.push_copy(Bytes(FairQueue::kLargeSlot + 1, 0), {}), 1u);  // too big: dropped, counted
    auto out = q.pop();
    ASSERT_TRUE(out);
    EXPECT_EQ(Bytes(out->bytes.begin(), out->bytes.end()), f);
    EXPECT_EQ(out->hdr.csum_start, 34);
    EXPECT_EQ(out->hdr.flags, OffloadHeader::kNeedsCsum);
    EXPECT_FALSE(q.pop());
}

TEST(FairQueue, ZeroLengthFramesNeitherHangNorCrashItWhenFull) {
    FairQueue::Limits limits;
    limits.small_slots = 2;
    limits.large_slots = 1;
    FairQueue q(10, limits);
    size_t dropped = 0;
    for (int i = 0; i < 10; ++i) dropped += q.push_read(0, {});
    EXPECT_EQ(q.frames() + dropped, 10u);
    EXPECT_EQ(q.frames(), 2u);
}

}  // namespace
}  // namespace tvpn
