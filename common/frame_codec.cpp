#include "common/frame_codec.h"

namespace tvpn {

constexpr size_t kEthHeaderMin = 14;

std::optional<DropReason> ClearCodec::open(Packet& pkt, uint64_t) {
    if (pkt.len < kEthHeaderMin || pkt.len > kMaxFrame) return DropReason::Malformed;
    return std::nullopt;
}

}  // namespace tvpn
