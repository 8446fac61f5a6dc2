// Batched frame records of the vnddmgr ABI 2.0 as the tools pack and parse
// them, the attach flags chosen from the module's features, and Device's
// default batch calls over single-frame I/O.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <vector>

#include "common/device/vndd_batch.h"

namespace tvpn {
namespace {

static_assert(sizeof(vndd_frame) == 8 && offsetof(vndd_frame, flags) == 4);
static_assert(sizeof(vndd_flags) == VNDD_FLAGS_SIZE && _IOC_SIZE(VNDD_IOC_SETFLAGS) == VNDD_FLAGS_SIZE);
// 0x10-0x1f stay reserved for ring-based I/O (driver/vnddmgr_abi.h).
static_assert(_IOC_NR(VNDD_IOC_SETFLAGS) == 0x05);

std::vector<uint8_t> bytes_of(size_t n, uint8_t seed) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i);
    return v;
}

// What the kernel would see from the writer's iovecs.
std::vector<uint8_t> gather(const VnddBatchWriter& w) {
    std::vector<uint8_t> out;
    for (int i = 0; i < w.iovcnt(); ++i) {
        const auto* p = static_cast<const uint8_t*>(w.iov()[i].iov_base);
        out.insert(out.end(), p, p + w.iov()[i].iov_len);
    }
    return out;
}

TEST(VnddBatch, AttachFlagsFollowFeatures) {
    vndd_version plain{2, 0, VNDD_FEAT_FRAME_RW, VNDD_MAX_FRAME, {}};
    EXPECT_EQ(vndd_attach_flags(plain), 0u);
    vndd_version all{2, 0, VNDD_FEAT_FRAME_RW | VNDD_FEAT_VNET_HDR | VNDD_FEAT_BATCH, VNDD_MAX_FRAME, {}};
    EXPECT_EQ(vndd_attach_flags(all), VNDD_ATTACH_VNET_HDR | VNDD_ATTACH_BATCH_WRITE);
    all.features = VNDD_FEAT_FRAME_RW | VNDD_FEAT_BATCH;
    EXPECT_EQ(vndd_attach_flags(all), VNDD_ATTACH_BATCH_WRITE);
    // Another major version: nothing these tools do not know the meaning of.
    vndd_version v1{1, 1, VNDD_FEAT_FRAME_RW | VNDD_FEAT_VNET_HDR | VNDD_FEAT_BATCH, VNDD_MAX_FRAME, {}};
    EXPECT_EQ(vndd_attach_flags(v1), 0u);
    vndd_version v3{3, 0, ~0u, VNDD_MAX_FRAME, {}};
    EXPECT_EQ(vndd_attach_flags(v3), 0u);
}

TEST(VnddBatch, WriterRecordsParseBackWithHeaders) {
    auto a = bytes_of(61, 1), b = bytes_of(1514, 7), c = bytes_of(64, 9);
    OffloadHeader gso;
    gso.flags = OffloadHeader::kNeedsCsum, gso.gso_type = OffloadHeader::kGsoTcpV4, gso.gso_size = 1448;
    gso.csum_start = 34, gso.csum_offset = 16, gso.hdr_len = 54;
    TxFrame frames[] = {{a, {}}, {b, gso}, {c, {}}};
    VnddBatchWriter w;
    ASSERT_EQ(w.build(frames, true), 3u);
    auto wire = gather(w);
    // Record 0: 8 + 10 + 61 = 79, padded to 80; record 1 starts there.
    vndd_frame rec;
    std::memcpy(&rec, wire.data() + 80, sizeof rec);
    EXPECT_EQ(rec.len, 10u + 1514u);
    EXPECT_EQ(w.records_taken(wire.size()), 3u);
    EXPECT_EQ(w.records_taken(79), 1u);
    EXPECT_EQ(w.records_taken(78), 0u);

    RxFrame out[VNDD_BATCH_MAX];
    ASSERT_EQ(parse_vndd_batch(wire, wire.size(), true, out), 3);
    EXPECT_EQ(std::vector<uint8_t>(out[0].frame.begin(), out[0].frame.end()), a);
    EXPECT_EQ(std::vector<uint8_t>(out[1].frame.begin(), out[1].frame.end()), b);
    EXPECT_EQ(std::vector<uint8_t>(out[2].frame.begin(), out[2].frame.end()), c);
    EXPECT_EQ(out[1].hdr.gso_size, 1448);
    EXPECT_TRUE(out[1].hdr.is_gso());
    EXPECT_FALSE(out[0].hdr.is_gso());
}

TEST(VnddBatch, WriterCapsAtBatchMax) {
    auto f = bytes_of(60, 0);
    std::vector<TxFrame> frames(VNDD_BATCH_MAX + 5, TxFrame{f, {}});
    VnddBatchWriter w;
    EXPECT_EQ(w.build(frames, false), static_cast<size_t>(VNDD_BATCH_MAX));
    EXPECT_LE(w.iovcnt(), 1024);
}

TEST(VnddBatch, ParseRejectsMalformedRecords) {
    auto f = bytes_of(60, 0);
    TxFrame frames[] = {{f, {}}, {f, {}}};
    VnddBatchWriter w;
    w.build(frames, false);
    auto wire = gather(w);
    RxFrame out[4];
    ASSERT_EQ(parse_vndd_batch(wire, wire.size(), false, out), 2);
    EXPECT_EQ(parse_vndd_batch(wire, wire.size() - 1, false, out), -1) << "cut record";
    EXPECT_EQ(parse_vndd_batch(wire, 5, false, out), -1) << "cut struct vndd_frame";
    EXPECT_EQ(parse_vndd_batch(wire, wire.size() + 1, false, out), -1) << "beyond the buffer";
    EXPECT_EQ(parse_vndd_batch(wire, wire.size(), false, std::span<RxFrame>(out, 1)), -1) << "more records than slots";
    auto flagged = wire;
    flagged[4] = 1;
    EXPECT_EQ(parse_vndd_batch(flagged, flagged.size(), false, out), -1) << "non-zero flags";
    auto huge = wire;
    huge[2] = 0xff;
    EXPECT_EQ(parse_vndd_batch(huge, huge.size(), false, out), -1) << "length beyond the data";
    std::vector<uint8_t> short_hdr = {4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    EXPECT_EQ(parse_vndd_batch(short_hdr, short_hdr.size(), true, out), -1) << "record shorter than its virtio_net_hdr";
    EXPECT_EQ(parse_vndd_batch(short_hdr, 0, true, out), 0) << "nothing read";
}

// A device with single-frame I/O only: the defaults must loop over it.
class QueueDevice final : public Device {
public:
    std::deque<std::vector<uint8_t>> rx;
    std::vector<std::vector<uint8_t>> tx;
    size_t refuse_after = SIZE_MAX;
    std::string n = "q0";
    const std::string& name() const override { return n; }
    const char* backend() const override { return "queue"; }
    int poll_fd() const override { return -1; }
    IoResult read_frame(std::span<uint8_t> buf) override {
        if (rx.empty()) return {IoStatus::WouldBlock};
        auto f = rx.front();
        rx.pop_front();
        if (f.size() > buf.size()) return {IoStatus::Truncated};
        std::memcpy(buf.data(), f.data(), f.size());
        return {IoStatus::Ok, f.size()};
    }
    IoResult write_frame(std::span<const uint8_t> frame) override {
        if (tx.size() >= refuse_after) return {IoStatus::Failed, 0, EINVAL};
        tx.emplace_back(frame.begin(), frame.end());
        return {IoStatus::Ok, frame.size()};
    }
};

TEST(DeviceBatch, DefaultReadBatchLoopsUntilEmptyOrFull) {
    QueueDevice d;
    for (uint8_t i = 0; i < 3; ++i) d.rx.push_back(bytes_of(100 + i, i));
    std::vector<uint8_t> buf(kMaxDeviceFrame + 150);
    RxFrame out[8];
    IoResult r = d.read_batch(buf, out);
    ASSERT_EQ(r.status, IoStatus::Ok);
    ASSERT_EQ(r.size, 2u) << "room for a third whole frame is not left";
    EXPECT_EQ(out[1].frame.size(), 101u);
    EXPECT_EQ(out[1].frame.data(), buf.data() + 100);
    r = d.read_batch(buf, out);
    EXPECT_EQ(r.size, 1u);
    EXPECT_EQ(d.read_batch(buf, out).status, IoStatus::WouldBlock);
}

TEST(DeviceBatch, DefaultWriteBatchStopsAtTheFirstRefusal) {
    QueueDevice d;
    d.refuse_after = 2;
    auto f = bytes_of(60, 0);
    TxFrame frames[] = {{f, {}}, {f, {}}, {f, {}}};
    IoResult r = d.write_batch(frames);
    EXPECT_EQ(r.status, IoStatus::Ok);
    EXPECT_EQ(r.size, 2u);
    r = d.write_batch(std::span<const TxFrame>(frames).subspan(2));
    EXPECT_EQ(r.status, IoStatus::Failed);
    EXPECT_EQ(r.err, EINVAL);
    OffloadHeader gso;
    gso.gso_type = OffloadHeader::kGsoTcpV4;
    QueueDevice plain;
    TxFrame super[] = {{f, gso}};
    EXPECT_EQ(plain.write_batch(super).status, IoStatus::Failed) << "no metadata without offloads()";
}

}  // namespace
}  // namespace tvpn
