// Frames that the kernel hands over with offload metadata (a virtio_net_hdr
// in front, from a TAP opened with IFF_VNET_HDR): a checksum left partial, or
// a TCP/UDP "super-frame" of up to 64 KiB to be cut into MTU-sized frames.
// Here those become ordinary wire-ready frames with complete checksums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tvpn {

// The kernel's struct virtio_net_hdr, host byte order (x86: little-endian).
struct OffloadHeader {
    uint8_t flags = 0;      // kNeedsCsum: checksum at csum_start+csum_offset is partial
    uint8_t gso_type = 0;   // kGsoNone, kGsoTcpV4, kGsoTcpV6, kGsoUdpL4 (| kGsoEcn)
    uint16_t hdr_len = 0;
    uint16_t gso_size = 0;  // payload bytes per segment
    uint16_t csum_start = 0;
    uint16_t csum_offset = 0;

    static constexpr uint8_t kNeedsCsum = 1;
    static constexpr uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoUdp = 3, kGsoTcpV6 = 4, kGsoUdpL4 = 5;
    static constexpr uint8_t kGsoEcn = 0x80;
    bool is_gso() const { return (gso_type & ~kGsoEcn) != kGsoNone; }
};
static_assert(sizeof(OffloadHeader) == 10, "must match struct virtio_net_hdr");

// Finishes a partial checksum in place. False when the offsets do not fit the frame.
bool complete_checksum(std::span<uint8_t> frame, const OffloadHeader& h);

// Where split segments go: buffers handed out one at a time.
class SegmentSink {
public:
    virtual ~SegmentSink() = default;
    // A buffer for the next segment (at least `size` bytes), or empty if full.
    virtual std::span<uint8_t> next(size_t size) = 0;
    // The segment just written is `len` bytes long.
    virtual void commit(size_t len) = 0;
};

// How many segments `frame` splits into, or 0 when its headers or the
// metadata are inconsistent (then the frame must be dropped).
size_t gso_segment_count(std::span<const uint8_t> frame, const OffloadHeader& h);

// The bytes in front of the first payload byte (Ethernet, IP and TCP or UDP
// headers) of a GSO frame, 0 when they are inconsistent.
size_t gso_header_size(std::span<const uint8_t> frame, const OffloadHeader& h);
inline bool gso_is_tcp(const OffloadHeader& h) {
    const uint8_t t = h.gso_type & ~OffloadHeader::kGsoEcn;
    return t == OffloadHeader::kGsoTcpV4 || t == OffloadHeader::kGsoTcpV6;
}

// Splits a GSO frame (TCP over IPv4/IPv6, or UDP with UDP_L4) into frames with
// at most gso_size payload bytes each, headers and checksums fixed. Returns
// the number of segments written, 0 on an inconsistent frame.
size_t gso_split(std::span<const uint8_t> frame, const OffloadHeader& h, SegmentSink& sink);

}  // namespace tvpn
