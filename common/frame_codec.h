// How a tunnel turns a frame into a datagram and back, in place in a Packet.
// Clear text is one implementation; the encrypted ones come with -pwd.
#pragma once

#include <cstdint>
#include <optional>

#include "common/packet.h"
#include "common/tunnel_stats.h"

namespace tvpn {

class FrameCodec {
public:
    virtual ~FrameCodec() = default;
    virtual const char* name() const = 0;
    // Frame -> datagram. nullopt: send it; otherwise drop it for that reason.
    virtual std::optional<DropReason> seal(Packet& pkt, uint64_t now_ns) = 0;
    // Datagram -> frame.
    virtual std::optional<DropReason> open(Packet& pkt, uint64_t now_ns) = 0;
};

// The original TVPN clear-text format: one raw Ethernet frame per datagram.
class ClearCodec final : public FrameCodec {
public:
    const char* name() const override { return "clear"; }
    std::optional<DropReason> seal(Packet&, uint64_t) override { return std::nullopt; }
    std::optional<DropReason> open(Packet& pkt, uint64_t) override;
};

}  // namespace tvpn
