// The datapath's use of batched device I/O, with fake devices: the write
// queue alone, then two whole datapaths (clear codec) talking over loopback
// inside a private network namespace, so no datagram leaves the test.
#include "common/datapath/datapath.h"

#include <gtest/gtest.h>

#include "common/codec/frame_codec.h"
#include "tests/unit/datapath_fakes.h"
#include "tests/unit/test_frames.h"

using namespace tvpn;
using namespace tvpn::test;

namespace {

}  // namespace

TEST(DeviceTxQueue, WritesEverythingInOneBatch) {
    FakeDevice dev(true, false);
    DeviceTxQueue q;
    Bytes f1 = test_frame(60, 1), f2 = test_frame(1514, 2);
    q.add(f1, {});
    q.add(f2, {});
    TxFlushOutcome out = q.flush(dev);
    EXPECT_EQ(out.written, 2u);
    EXPECT_EQ(out.dropped, 0u);
    EXPECT_EQ(dev.batch_writes, 1u);
    EXPECT_TRUE(q.empty());
    ASSERT_EQ(dev.written.size(), 2u);
    EXPECT_EQ(dev.written[0], f1);
    EXPECT_EQ(dev.written[1], f2);
}

TEST(DeviceTxQueue, PartialWritesAreResumedAndARefusedFrameIsDroppedAlone) {
    FakeDevice dev(true, false);
    dev.write_limit = 3;
    DeviceTxQueue q;
    std::vector<Bytes> frames;
    for (uint8_t i = 0; i < 8; ++i) frames.push_back(test_frame(60 + i, i));
    frames[4][0] = 0xee;  // refused
    for (const Bytes& f : frames) q.add(f, {});
    TxFlushOutcome out = q.flush(dev);
    EXPECT_EQ(out.written, 7u);
    EXPECT_EQ(out.dropped, 1u);
    EXPECT_EQ(out.err, EINVAL);
    // 0-2, 3 (stops before the bad one), 4 refused, 5-7.
    EXPECT_EQ(dev.batch_writes, 4u);
    ASSERT_EQ(dev.written.size(), 7u);
    for (size_t i = 0, w = 0; i < frames.size(); ++i) {
        if (i == 4) continue;
        EXPECT_EQ(dev.written[w++], frames[i]) << "frame " << i;
    }
}

TEST(DeviceTxQueue, AFailingDeviceLosesTheRestInOneCall) {
    FakeDevice dev(true, false);
    dev.fail_with = ENODEV;
    dev.write_limit = 0;
    DeviceTxQueue q;
    Bytes f = test_frame(60, 0);
    while (!q.full()) q.add(f, {});
    TxFlushOutcome out = q.flush(dev);
    EXPECT_EQ(out.written, 0u);
    EXPECT_EQ(out.dropped, kDeviceBatchMax);
    EXPECT_EQ(out.err, ENODEV);
    EXPECT_EQ(dev.batch_writes, 1u);
}

// A batching device is drained with read_batch and written with write_batch;
// every frame crosses intact and in order.
TEST(Datapath, BatchingDeviceIsReadAndWrittenInBatches) {
    RUN_IN_PRIVATE_NETNS([] {
        TwoDatapaths t(true, false);
        std::vector<Bytes> sent;
        for (size_t i = 0; i < 100; ++i) sent.push_back(one_flow_frame(60 + (i * 37) % 1455, static_cast<uint8_t>(i)));
        for (const Bytes& f : sent) t.dev_a->rx.push_back({f, {}});
        t.a.on_device_readable(0);
        EXPECT_TRUE(t.dev_a->rx.empty());
        EXPECT_EQ(t.dev_a->read_calls, 0u);
        EXPECT_LE(t.dev_a->batch_reads, 3u);  // 64 + 36 frames, maybe one empty read
        EXPECT_EQ(t.stats_a().frames_out, 100u);

        t.b.on_socket_readable(0);
        EXPECT_EQ(t.dev_b->write_calls, 0u);
        EXPECT_LT(t.dev_b->batch_writes, 10u);  // one per receive burst, not one per frame
        ASSERT_EQ(t.dev_b->written.size(), sent.size());
        for (size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(t.dev_b->written[i], sent[i]) << "frame " << i;
        EXPECT_EQ(t.stats_b().frames_in, 100u);
    });
}

// A device that reads with offloads through batches: a TSO super-frame in a
// batch is split, the segments cross and are coalesced again at b.
TEST(Datapath, SuperFrameInABatchIsSplitAndCrosses) {
    RUN_IN_PRIVATE_NETNS([] {
        TwoDatapaths t(true, true);
        test::Frame f = test::make_frame(false, true, 3000);
        OffloadHeader h;
        h.flags = OffloadHeader::kNeedsCsum;
        h.gso_type = OffloadHeader::kGsoTcpV4;
        h.gso_size = 1000;
        h.hdr_len = static_cast<uint16_t>(f.payload);
        h.csum_start = static_cast<uint16_t>(f.l4);
        h.csum_offset = 16;
        Bytes small = test_frame(60, 9);
        t.dev_a->rx.push_back({small, {}});
        t.dev_a->rx.push_back({f.bytes, h});
        t.a.on_device_readable(0);
        EXPECT_EQ(t.stats_a().gso_frames, 1u);
        EXPECT_EQ(t.stats_a().gso_segments, 3u);
        EXPECT_EQ(t.stats_a().frames_out, 4u);

        t.b.on_socket_readable(0);
        EXPECT_EQ(t.stats_b().frames_in, 4u);
        ASSERT_GE(t.dev_b->written.size(), 2u);
        EXPECT_EQ(t.dev_b->written[0], small);
        size_t payload = 0;
        for (size_t i = 1; i < t.dev_b->written.size(); ++i) payload += t.dev_b->written[i].size() - f.payload;
        EXPECT_EQ(payload, 3000u);
    });
}

// A device without batching keeps the one-frame-per-call path.
TEST(Datapath, SingleFrameDeviceIsReadAndWrittenOneByOne) {
    RUN_IN_PRIVATE_NETNS([] {
        TwoDatapaths t(false, false);
        std::vector<Bytes> sent;
        for (size_t i = 0; i < 40; ++i) sent.push_back(one_flow_frame(60 + i * 30, static_cast<uint8_t>(i)));
        for (const Bytes& f : sent) t.dev_a->rx.push_back({f, {}});
        t.a.on_device_readable(0);
        EXPECT_EQ(t.dev_a->batch_reads, 0u);
        EXPECT_EQ(t.dev_a->read_calls, 41u);  // the last one finds nothing

        t.b.on_socket_readable(0);
        EXPECT_EQ(t.dev_b->batch_writes, 0u);
        EXPECT_EQ(t.dev_b->write_calls, sent.size());
        ASSERT_EQ(t.dev_b->written.size(), sent.size());
        for (size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(t.dev_b->written[i], sent[i]) << "frame " << i;
    });
}
