#include "common/device/vndd_batch.h"

#include <cstring>

namespace tvpn {
namespace {

static_assert(sizeof(OffloadHeader) == VNDD_VNET_HDR_SIZE);
static_assert(sizeof(vndd_frame) == VNDD_FRAME_SIZE);
static_assert(kMaxDeviceFrame == VNDD_MAX_GSO_FRAME, "read_batch room per frame matches the module's largest");
static_assert(kDeviceBatchMax == VNDD_BATCH_MAX, "the datapath's batches are the module's");
static_assert(VNDD_FRAME_SIZE + VNDD_VNET_HDR_SIZE + VNDD_BATCH_ALIGN - 1 <= kBatchFrameOverhead,
              "a record's header, metadata and padding fit the room read_batch callers leave");

constexpr size_t align_up(size_t n) { return (n + VNDD_BATCH_ALIGN - 1) / VNDD_BATCH_ALIGN * VNDD_BATCH_ALIGN; }

const uint8_t kPad[VNDD_BATCH_ALIGN] = {};

}  // namespace

uint32_t vndd_attach_flags(const vndd_version& ver) {
    if (ver.major != VNDD_ABI_MAJOR) return 0;
    uint32_t flags = 0;
    if (ver.features & VNDD_FEAT_VNET_HDR) flags |= VNDD_ATTACH_VNET_HDR;
    if (ver.features & VNDD_FEAT_BATCH) flags |= VNDD_ATTACH_BATCH_WRITE;
    return flags;
}

int parse_vndd_batch(std::span<uint8_t> buf, size_t n, bool with_hdr, std::span<RxFrame> out) {
    if (n > buf.size()) return -1;
    const size_t hlen = with_hdr ? sizeof(OffloadHeader) : 0;
    size_t off = 0, count = 0;
    while (off < n) {
        off = align_up(off);
        vndd_frame rec;
        if (count == out.size() || off > n || n - off < sizeof rec) return -1;
        std::memcpy(&rec, buf.data() + off, sizeof rec);
        off += sizeof rec;
        if (rec.flags != 0 || rec.len > n - off || rec.len < hlen) return -1;
        RxFrame& f = out[count++];
        f.hdr = {};
        if (hlen) std::memcpy(&f.hdr, buf.data() + off, hlen);
        f.frame = buf.subspan(off + hlen, rec.len - hlen);
        off += rec.len;
    }
    return static_cast<int>(count);
}

size_t VnddBatchWriter::build(std::span<const TxFrame> frames, bool with_hdr) {
    count_ = std::min(frames.size(), recs_.size());
    iovcnt_ = 0;
    size_t off = 0;
    auto add = [this](const void* p, size_t len) {
        if (len) iov_[static_cast<size_t>(iovcnt_++)] = {const_cast<void*>(p), len};
    };
    for (size_t i = 0; i < count_; ++i) {
        const TxFrame& f = frames[i];
        add(kPad, align_up(off) - off);
        off = align_up(off);
        const size_t len = f.frame.size() + (with_hdr ? sizeof(OffloadHeader) : 0);
        recs_[i] = {static_cast<uint32_t>(len), 0};
        add(&recs_[i], sizeof(vndd_frame));
        if (with_hdr) add(&f.hdr, sizeof(OffloadHeader));
        add(f.frame.data(), f.frame.size());
        off += sizeof(vndd_frame) + len;
        ends_[i] = off;
    }
    return count_;
}

size_t VnddBatchWriter::records_taken(size_t bytes) const {
    size_t n = 0;
    while (n < count_ && ends_[n] <= bytes) ++n;
    return n;
}

}  // namespace tvpn
