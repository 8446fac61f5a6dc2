// ClearCodec::open: a datagram from the peer in the original clear format
// (one raw Ethernet frame) must be accepted only with a frame's length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/codec/frame_codec.h"
#include "tests/fuzz/fuzz_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static tvpn::fuzz::FuzzPacket fp;
    tvpn::Packet& pkt = fp.load(data, size, 0);
    tvpn::ClearCodec codec;
    tvpn::OpenResult r = codec.open(pkt, 0);
    if (r.verdict == tvpn::OpenVerdict::Frame && (pkt.len < 14 || pkt.len > tvpn::kMaxFrame)) std::abort();
    fp.check_bounds();
    return 0;
}
