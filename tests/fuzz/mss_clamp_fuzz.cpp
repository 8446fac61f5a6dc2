// clamp_mss on frames from the interface or from a peer (clear text: anyone
// on the path). It must never read or write outside the frame, change only
// the MSS value and the TCP checksum, never raise an MSS, and keep a valid
// IPv4 TCP checksum valid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "common/datapath/checksum.h"
#include "common/datapath/mss_clamp.h"

using namespace tvpn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 3) return 0;
    const size_t max_frame = 64 + (size_t{data[0]} << 4 | data[1]);
    const bool partial = data[2] & 1;
    std::vector<uint8_t> frame(data + 3, data + size), before = frame;
    const MssClamp r = clamp_mss(frame, max_frame, partial);
    size_t changed = 0;
    for (size_t i = 0; i < frame.size(); ++i) changed += frame[i] != before[i];
    if (r != MssClamp::Clamped && changed != 0) std::abort();
    if (r == MssClamp::Clamped && changed > 4) std::abort();  // two MSS bytes, two checksum bytes
    // Plain IPv4 without options: a checksum that verified still verifies.
    if (r == MssClamp::Clamped && !partial && frame.size() >= 54 && frame[12] == 0x08 && frame[13] == 0 &&
        frame[14] == 0x45) {
        const size_t total = size_t{frame[16]} << 8 | frame[17];
        if (total < 40 || 14 + total > frame.size()) std::abort();  // clamp_mss checked this
        auto ok = [&](const std::vector<uint8_t>& f) {
            const uint64_t sum = pseudo_header_v4(&f[26], &f[30], 6, uint32_t(total - 20));
            return checksum_finish(checksum_add(sum, {f.data() + 34, total - 20})) == 0;
        };
        if (ok(before) && !ok(frame)) std::abort();
    }
    return 0;
}
