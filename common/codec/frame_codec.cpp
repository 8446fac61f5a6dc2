#include "common/codec/frame_codec.h"

namespace tvpn {

constexpr size_t kEthHeaderMin = 14;

OpenResult ClearCodec::open(Packet& pkt, uint64_t) {
    if (pkt.len < kEthHeaderMin || pkt.len > kMaxFrame) return OpenResult::drop(DropReason::Malformed);
    return OpenResult::frame();
}

}  // namespace tvpn
