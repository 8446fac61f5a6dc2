// Spake2::finish on a peer's share as it arrives in a handshake message: any
// bytes (wrong length, not on the curve, the identity, off-curve coordinates)
// must be rejected or yield keys, never crash or read out of bounds.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/crypto/spake2.h"

using namespace tvpn::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const auto curve = Spake2Curve::create();
    static const auto pw = [] {
        std::array<uint8_t, kSpake2ScalarSize> w{};
        w.fill(0x42);
        return spake2_password_raw(w);
    }();
    if (!curve || !pw) std::abort();
    // The first byte picks the role; the rest is the share, copied so that
    // ASan catches a read past its end.
    const Spake2Role role = size > 0 && (data[0] & 1) ? Spake2Role::B : Spake2Role::A;
    std::vector<uint8_t> share(size > 0 ? data + 1 : data, data + size);
    static const std::array<uint8_t, kSpake2ScalarSize> eph = [] {
        std::array<uint8_t, kSpake2ScalarSize> e{};
        e.fill(0x17);
        return e;
    }();
    auto run = Spake2::start(*curve, role, *pw, eph);
    if (!run) std::abort();
    auto keys = run->finish(share, {}, {});
    if (keys && share.size() != kSpake2ShareSize) std::abort();  // only a whole point may be accepted
    return 0;
}
