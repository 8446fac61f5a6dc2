// The original TVPN's -pwd format, for talking to an old host during a
// migration (-cipher des): each datagram is DES-ECB over
// [4-byte big-endian frame length | frame | zero padding to a multiple of 8].
// INSECURE: a 56-bit key from the password's first 8 bytes, no integrity, no
// replay protection. Never chosen by default.
#pragma once

#include <memory>

#include "common/crypto/des_ecb.h"
#include "common/codec/frame_codec.h"

namespace tvpn {

constexpr size_t kDesLengthSize = 4;

// Pure parsing of a decrypted datagram: the frame length, checked against the
// datagram's size (the padding must be under one block). nullopt: malformed.
std::optional<uint32_t> des_plain_frame_length(std::span<const uint8_t> plain);

class LegacyDesCodec final : public FrameCodec {
public:
    explicit LegacyDesCodec(std::unique_ptr<crypto::DesEcb> des) : des_(std::move(des)) {}
    const char* name() const override { return "des (legacy, insecure)"; }
    SealResult seal(Packet& pkt, uint64_t now_ns) override;
    OpenResult open(Packet& pkt, uint64_t now_ns) override;
    CodecMetrics metrics(uint64_t) const override {
        CodecMetrics m;
        m.codec = "des";
        return m;
    }

private:
    std::unique_ptr<crypto::DesEcb> des_;
};

}  // namespace tvpn
