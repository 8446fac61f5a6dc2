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

#include "common/netif_spec.h"
#include "common/offload.h"
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

// An interface attached for frame I/O. Closing (destroying) it detaches.
class Device {
public:
    virtual ~Device() = default;
    virtual const std::string& name() const = 0;
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
};

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
