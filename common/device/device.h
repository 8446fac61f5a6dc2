// The seam between TVPN and the kernel's virtual interfaces. Two backends
// implement it: "tap" (the kernel's TUN/TAP driver) and "vndd" (our vnddmgr
// module). vnddconfig manages interfaces through Backend; vnddvpnd attaches
// to one and moves frames through Device.
#pragma once

#include <sys/types.h>

#include <cerrno>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/device/netif_spec.h"
#include "common/device/offload.h"
#include "common/result.h"

namespace tvpn {

// Outcome of one frame read or write on the packet path (no exceptions there).
enum class IoStatus {
    Ok,          // `size` bytes were moved
    WouldBlock,  // nothing to read / no room to write now
    Truncated,   // the frame did not fit the buffer and was dropped
    Failed,      // `err` holds errno
};

struct IoResult {
    IoStatus status;
    size_t size = 0;
    int err = 0;
};

// The largest frame a device read may return: a 64 KiB super-frame with its
// Ethernet and VLAN headers. read_batch needs this much room per frame.
inline constexpr size_t kMaxDeviceFrame = 65536 + 14 + 4;
// Frames one read_batch or write_batch call moves at most (the vnddmgr
// module's VNDD_BATCH_MAX). The vndd backend reads batches only into this
// many RxFrame slots (fewer: one frame per call).
inline constexpr size_t kDeviceBatchMax = 64;
// What a batched read may add before each frame in the caller's buffer (the
// vndd record header, virtio_net_hdr and alignment): a buffer of
// kMaxDeviceFrame + kBatchFrameOverhead bytes always takes the next frame.
inline constexpr size_t kBatchFrameOverhead = 32;

// One frame of a batch read: where it lies in the caller's buffer, its metadata.
struct RxFrame {
    std::span<uint8_t> frame;
    OffloadHeader hdr;
};
// One frame of a batch write (hdr only when offloads() is true).
struct TxFrame {
    std::span<const uint8_t> frame;
    OffloadHeader hdr;
};

// An interface attached for frame I/O. Closing (destroying) it detaches.
class Device {
public:
    virtual ~Device() = default;
    virtual const std::string& name() const = 0;
    // Which backend made it: "tap" or "vndd" (what `vnddconfig show` reports).
    virtual const char* backend() const = 0;
    // Becomes readable when frames wait; the event loop polls it.
    virtual int poll_fd() const = 0;
    // Reads one whole Ethernet frame (non-blocking).
    virtual IoResult read_frame(std::span<uint8_t> buf) = 0;
    // Injects one Ethernet frame into the host's stack as if received.
    virtual IoResult write_frame(std::span<const uint8_t> frame) = 0;
    // True when reads may return frames with offload metadata: a partial
    // checksum or a TCP/UDP super-frame of up to 64 KiB (see offload.h).
    virtual bool offloads() const { return false; }
    // Writes one frame with offload metadata (a TCP super-frame with a
    // partial checksum); only when offloads() is true.
    virtual IoResult write_offload(std::span<const uint8_t> frame, const OffloadHeader& h) {
        if (h.is_gso() || h.flags) return {IoStatus::Failed, 0, EINVAL};
        return write_frame(frame);
    }
    // Reads one frame and its offload metadata.
    virtual IoResult read_offload(std::span<uint8_t> buf, OffloadHeader& h) {
        h = {};
        return read_frame(buf);
    }
    // True when read_batch and write_batch move several frames per system
    // call (the datapath then reads and writes this device in batches);
    // false when they only loop over the single-frame calls.
    virtual bool batches() const { return false; }
    // Reads up to out.size() frames (non-blocking) one after another into
    // `buf`; out[i].frame points into buf. Ok: size = frames read (>= 1);
    // otherwise the status of the first read, nothing read. The default
    // loops over read_offload while kMaxDeviceFrame bytes of buf remain.
    virtual IoResult read_batch(std::span<uint8_t> buf, std::span<RxFrame> out);
    // Writes frames in order. Ok: size = frames taken from the front (>= 1);
    // fewer than all: frames[size] was refused or would block, a retry from
    // it reports which. Otherwise the status of frames[0], nothing taken.
    // The default loops over write_offload.
    virtual IoResult write_batch(std::span<const TxFrame> frames);
};

// For read_frame on a device that reads with offload metadata: `r` from
// read_offload into buf becomes a plain frame (checksum completed), or
// Truncated for a super-frame a plain reader cannot take.
IoResult plain_frame(std::span<uint8_t> buf, IoResult r, const OffloadHeader& h);

struct InterfaceInfo {
    std::string name;
    std::string backend;  // "tap" or "vndd"
    MacAddr mac{};
    int mtu = 0;
    bool attached = false;   // a daemon holds the interface
    pid_t attached_pid = 0;  // who, when known
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual const char* kind() const = 0;
    // Creates a persistent interface that outlives this process.
    virtual Status create(const InterfaceSpec& spec) = 0;
    virtual Status remove(const std::string& name) = 0;
    // Attaches to an existing interface made by this backend.
    virtual Result<std::unique_ptr<Device>> attach(const std::string& name) = 0;
    virtual Result<std::vector<InterfaceInfo>> list() = 0;
};

}  // namespace tvpn
