// Packet buffers for the data path. Each buffer is allocated once at start-up
// and reused for every frame: the packet path never allocates.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "common/device/netif_spec.h"

namespace tvpn {

constexpr size_t kEthHeaderMax = 18;                    // Ethernet header with one VLAN tag
constexpr size_t kMaxFrame = kMaxMtu + kEthHeaderMax;   // largest frame a device hands us
constexpr size_t kHeadroom = 64;                        // room for a tunnel header before the frame
constexpr size_t kTailroom = 64;                        // room for a tag or padding after it
constexpr size_t kPacketCapacity = kHeadroom + kMaxFrame + kTailroom;
constexpr size_t kMaxUdpPayload = 65507;                // IPv4 limit, the tighter of the two
constexpr size_t kBatchSize = 32;                       // messages per system-call batch
constexpr size_t kTxBatchSize = 160;                    // frames gathered before one send (a split 64 KiB TSO frame fits)

static_assert(kMaxFrame + kHeadroom <= kMaxUdpPayload, "an encapsulated frame must fit one datagram");

// One frame or datagram: bytes [off, off+len) of a fixed buffer.
struct Packet {
    uint8_t* buf = nullptr;
    uint32_t off = 0;
    uint32_t len = 0;
    sockaddr_storage addr{};  // source on receive, destination on send
    socklen_t addrlen = 0;
    uint32_t segment_size = 0;  // received with UDP GRO: datagrams of this size, back to back
    void* owner = nullptr;    // the tunnel this packet belongs to, set by the loop

    uint8_t* data() { return buf + off; }
    const uint8_t* data() const { return buf + off; }
    std::span<uint8_t> bytes() { return {buf + off, len}; }
    size_t headroom() const { return off; }
    size_t tailroom() const { return kPacketCapacity - off - len; }
};

// A fixed set of packets with their storage, reused for every batch.
class PacketBatch {
public:
    explicit PacketBatch(size_t count = kBatchSize)
        : storage_(new uint8_t[count * kPacketCapacity]), packets_(new Packet[count]), capacity_(count) {
        for (size_t i = 0; i < count; ++i) packets_[i].buf = storage_.get() + i * kPacketCapacity;
    }
    size_t capacity() const { return capacity_; }
    Packet& operator[](size_t i) { return packets_[i]; }
    const Packet& operator[](size_t i) const { return packets_[i]; }

private:
    std::unique_ptr<uint8_t[]> storage_;
    std::unique_ptr<Packet[]> packets_;
    size_t capacity_;
};

}  // namespace tvpn
