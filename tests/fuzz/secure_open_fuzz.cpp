// SecureCodec::open on an established session: any datagram from the peer's
// address, with the receiver index of the live session patched in (or not)
// so that the fuzzer gets past the session lookup to the replay window and
// the AEAD. Nothing may come out as a frame: the fuzzer has no key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>

#include "tests/fuzz/codec_peer.h"

using namespace tvpn;
using namespace tvpn::fuzz;

namespace {

struct Established {
    CodecPeer a{1}, b{1};
    uint64_t now = 1000 * wire::kSecond;
    uint8_t index[wire::kIndexSize] = {};
    std::map<Bytes, int> sealed, delivered;

    Established() {
        a.codec->tick(now);
        b.codec->tick(now);
        for (int round = 0; round < 8; ++round) {
            while (!a.out.q.empty()) { b.receive(a.out.q.front(), now); a.out.q.pop_front(); }
            while (!b.out.q.empty()) { a.receive(b.out.q.front(), now); b.out.q.pop_front(); }
        }
        if (!a.codec->has_session(now) || !b.codec->has_session(now)) std::abort();
        // One frame a sealed, to learn b's receiver index. Keys are random per
        // run, so the fuzzer cannot replay it; anything b delivers is a forgery.
        Bytes f = numbered_frame(0, 60);
        ++sealed[f];
        a.send(f, now);
        const Bytes& d = a.out.q.back();
        std::memcpy(index, d.data() + wire::kHeaderSize, wire::kIndexSize);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Established e;
    if (size == 0) return 0;
    // The first byte: bit 0 patches the live receiver index in.
    Bytes d(data + 1, data + size);
    if ((data[0] & 1) && d.size() >= wire::kHeaderSize + wire::kIndexSize)
        std::memcpy(d.data() + wire::kHeaderSize, e.index, wire::kIndexSize);
    e.b.receive(d, e.now);
    for (auto& f : e.b.frames)
        if (++e.delivered[f] > e.sealed[f]) std::abort();
    e.b.frames.clear();
    e.b.out.q.clear();  // answers to handshake messages are not followed here
    return 0;
}
