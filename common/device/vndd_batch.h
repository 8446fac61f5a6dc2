// Batched frame records of the vnddmgr module (driver/vnddmgr_abi.h, ABI
// 2.0): each a struct vndd_frame, then a virtio_net_hdr when the file was
// attached with VNDD_ATTACH_VNET_HDR, then the frame, the next record at the
// following multiple of VNDD_BATCH_ALIGN. Pure functions: unit-tested
// without the module.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <span>

#include "common/device/device.h"
#include "driver/vnddmgr_abi.h"

namespace tvpn {

// The attach flags to ask a module with these features for: offload
// metadata and batched writes when offered. Batched reads are switched on
// with VNDD_IOC_SETFLAGS only while a caller reads batches.
uint32_t vndd_attach_flags(const vndd_version& ver);

// Splits the `n` bytes a batched read() returned into out[] (frames point
// into buf, headers copied). Returns how many, or -1 when the records are
// malformed (then none of them can be trusted).
int parse_vndd_batch(std::span<uint8_t> buf, size_t n, bool with_hdr, std::span<RxFrame> out);

// Lays out frames as records for one writev(), without copying them.
class VnddBatchWriter {
public:
    // Describes up to VNDD_BATCH_MAX frames; returns how many. frames must
    // stay alive until the writev.
    size_t build(std::span<const TxFrame> frames, bool with_hdr);
    const iovec* iov() const { return iov_.data(); }
    int iovcnt() const { return iovcnt_; }
    // How many records the module took when writev returned `bytes`.
    size_t records_taken(size_t bytes) const;

private:
    std::array<vndd_frame, VNDD_BATCH_MAX> recs_{};
    std::array<size_t, VNDD_BATCH_MAX> ends_{};  // byte offset after each record
    std::array<iovec, VNDD_BATCH_MAX * 4> iov_{};
    size_t count_ = 0;
    int iovcnt_ = 0;
};

}  // namespace tvpn
