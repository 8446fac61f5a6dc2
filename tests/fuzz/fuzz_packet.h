// A Packet for fuzz targets: the input copied into a buffer of exactly
// kPacketCapacity bytes on the heap (so ASan sees any read or write past it),
// placed at a chosen offset the way the datapath places received datagrams.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/datapath/packet.h"

namespace tvpn::fuzz {

class FuzzPacket {
public:
    FuzzPacket() : buf_(new uint8_t[kPacketCapacity]) {}

    // Input longer than what fits is cut, as the socket would cut it.
    Packet& load(const uint8_t* data, size_t size, size_t offset) {
        if (offset > kPacketCapacity) offset = kPacketCapacity;
        if (size > kPacketCapacity - offset) size = kPacketCapacity - offset;
        std::memset(buf_.get(), 0xA5, kPacketCapacity);
        if (size) std::memcpy(buf_.get() + offset, data, size);
        pkt_ = Packet{};
        pkt_.buf = buf_.get();
        pkt_.off = static_cast<uint32_t>(offset);
        pkt_.len = static_cast<uint32_t>(size);
        return pkt_;
    }

    // Whatever the codec did, the packet must still lie inside its buffer.
    void check_bounds() const {
        if (pkt_.off > kPacketCapacity || pkt_.len > kPacketCapacity - pkt_.off) std::abort();
    }

private:
    std::unique_ptr<uint8_t[]> buf_;
    Packet pkt_;
};

}  // namespace tvpn::fuzz
