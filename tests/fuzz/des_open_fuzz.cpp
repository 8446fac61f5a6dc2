// The legacy DES format (-cipher des): des_plain_frame_length on any
// decrypted bytes, LegacyDesCodec::open on any datagram, and seal -> open
// giving back the frame. The length field read from the network never
// reaches past the datagram.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "common/codec/legacy_des_codec.h"
#include "tests/fuzz/fuzz_packet.h"

using namespace tvpn;

namespace {

LegacyDesCodec& codec() {
    static LegacyDesCodec* c = [] {
        uint8_t key[crypto::kDesKeySize];
        const uint8_t pw[] = {'o', 'l', 'd', 't', 'v', 'p', 'n'};
        crypto::des_key_from_password(pw, key);
        auto des = crypto::DesEcb::create(key);
        if (!des) std::abort();
        return new LegacyDesCodec(std::move(*des));
    }();
    return *c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static fuzz::FuzzPacket fp;
    // 1. The pure length check, on an exact-size copy.
    std::unique_ptr<uint8_t[]> plain(new uint8_t[size]);
    if (size) std::memcpy(plain.get(), data, size);
    if (auto len = des_plain_frame_length({plain.get(), size})) {
        if (size < kDesLengthSize + *len || size - kDesLengthSize - *len >= crypto::kDesBlockSize) std::abort();
    }
    // 2. The input as a datagram from the peer.
    Packet& in = fp.load(data, size, 0);
    OpenResult r = codec().open(in, 0);
    fp.check_bounds();
    if (r.verdict == OpenVerdict::Frame && (in.len < 14 || in.len > size || in.off != kDesLengthSize)) std::abort();
    // 3. The input as a frame: seal, then open, must give it back.
    if (size >= 14 && size <= kMaxFrame) {
        Packet& out = fp.load(data, size, kHeadroom);
        if (codec().seal(out, 0).verdict != SealVerdict::Send) std::abort();
        if (out.len % crypto::kDesBlockSize != 0 || out.len < size + kDesLengthSize) std::abort();
        if (codec().open(out, 0).verdict != OpenVerdict::Frame) std::abort();
        if (out.len != size || std::memcmp(out.data(), data, size) != 0) std::abort();
    }
    return 0;
}
