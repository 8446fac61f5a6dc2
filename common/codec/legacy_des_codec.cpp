#include "common/codec/legacy_des_codec.h"

#include <cstring>

namespace tvpn {
namespace {

constexpr size_t kEthHeaderMin = 14;

size_t padded(size_t n) { return (n + crypto::kDesBlockSize - 1) / crypto::kDesBlockSize * crypto::kDesBlockSize; }

}  // namespace

std::optional<uint32_t> des_plain_frame_length(std::span<const uint8_t> plain) {
    if (plain.size() < crypto::kDesBlockSize || plain.size() % crypto::kDesBlockSize != 0) return std::nullopt;
    const uint32_t len = uint32_t{plain[0]} << 24 | uint32_t{plain[1]} << 16 | uint32_t{plain[2]} << 8 | plain[3];
    if (len > plain.size() - kDesLengthSize) return std::nullopt;            // longer than what arrived
    if (padded(kDesLengthSize + len) != plain.size()) return std::nullopt;  // more than one block of padding
    return len;
}

SealResult LegacyDesCodec::seal(Packet& pkt, uint64_t) {
    const size_t total = padded(kDesLengthSize + pkt.len);
    const size_t pad = total - kDesLengthSize - pkt.len;
    if (pkt.headroom() < kDesLengthSize || pkt.tailroom() < pad) return SealResult::drop(DropReason::TooBig);
    uint8_t* p = pkt.data() - kDesLengthSize;
    p[0] = static_cast<uint8_t>(pkt.len >> 24);
    p[1] = static_cast<uint8_t>(pkt.len >> 16);
    p[2] = static_cast<uint8_t>(pkt.len >> 8);
    p[3] = static_cast<uint8_t>(pkt.len);
    std::memset(pkt.data() + pkt.len, 0, pad);
    if (!des_->encrypt({p, total})) return SealResult::drop(DropReason::TooBig);
    pkt.off -= kDesLengthSize;
    pkt.len = static_cast<uint32_t>(total);
    return SealResult::send();
}

OpenResult LegacyDesCodec::open(Packet& pkt, uint64_t) {
    if (pkt.len < crypto::kDesBlockSize || pkt.len % crypto::kDesBlockSize != 0 || !des_->decrypt(pkt.bytes()))
        return OpenResult::drop(DropReason::Malformed);
    auto len = des_plain_frame_length(pkt.bytes());
    if (!len || *len < kEthHeaderMin || *len > kMaxFrame) return OpenResult::drop(DropReason::Malformed);
    pkt.off += kDesLengthSize;
    pkt.len = *len;
    return OpenResult::frame();
}

}  // namespace tvpn
