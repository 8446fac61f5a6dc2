// Frames and virtio_net_hdrs for the offload and batch cases.
#pragma once

#include "common/device/offload.h"

#include <cstdint>
#include <string>
#include <vector>

#include "tests/vm/probe/probe.h"

using virtio_net_hdr = tvpn::OffloadHeader;
inline constexpr uint8_t VIRTIO_NET_HDR_F_NEEDS_CSUM = tvpn::OffloadHeader::kNeedsCsum;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_NONE = tvpn::OffloadHeader::kGsoNone;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_TCPV4 = tvpn::OffloadHeader::kGsoTcpV4;
inline constexpr uint8_t VIRTIO_NET_HDR_GSO_UDP = tvpn::OffloadHeader::kGsoUdp;

namespace probe {

// NEEDS_CSUM at csum_start/csum_offset, no GSO.
virtio_net_hdr partial_hdr(uint16_t start, uint16_t offset);
// A TCPv4 super-frame header (NEEDS_CSUM at 34/16, hdr_len 54).
virtio_net_hdr gso_hdr(uint8_t type, uint16_t gso_size);
// frame_to_us with a partial UDP checksum (the pseudo-header sum only).
std::vector<uint8_t> udp_partial(const uint8_t mac[6], uint16_t port, const std::string& payload);
// An Ethernet/IPv4/TCP ACK segment from kPeerIp to us, `payload` bytes of data.
std::vector<uint8_t> tcp4_to_us(const uint8_t mac[6], uint16_t port, size_t payload);
// One write of a virtio_net_hdr and a frame.
ssize_t write_vnet(int fd, const virtio_net_hdr& h, const std::vector<uint8_t>& f);

// A batched buffer being built: records of struct vndd_frame + bytes, aligned.
struct BatchBuf {
    std::vector<uint8_t> bytes;
    // Appends a record of `len` (default: the data's size) and `flags`.
    void add(const std::vector<uint8_t>& data, uint32_t flags = 0, int64_t len = -1);
    // Appends a virtio_net_hdr + frame record.
    void add_vnet(const virtio_net_hdr& h, const std::vector<uint8_t>& frame);
    size_t end_of_record(size_t index) const { return ends.at(index); }
    std::vector<size_t> ends;
};

// Splits a batched read into its records' payloads; false when malformed.
bool parse_batch(const uint8_t* p, size_t n, std::vector<std::vector<uint8_t>>& out);

}  // namespace probe
