#include "common/device/device.h"

namespace tvpn {

IoResult Device::read_batch(std::span<uint8_t> buf, std::span<RxFrame> out) {
    size_t used = 0, n = 0;
    while (n < out.size()) {
        std::span<uint8_t> room = buf.subspan(used);
        if (n > 0 && room.size() < kMaxDeviceFrame) break;
        IoResult r = read_offload(room, out[n].hdr);
        if (r.status != IoStatus::Ok) {
            if (n > 0) break;
            return r;
        }
        out[n].frame = room.first(r.size);
        used += r.size;
        ++n;
    }
    return {IoStatus::Ok, n};
}

IoResult Device::write_batch(std::span<const TxFrame> frames) {
    size_t n = 0;
    for (const TxFrame& f : frames) {
        IoResult r = write_offload(f.frame, f.hdr);
        if (r.status != IoStatus::Ok) {
            if (n > 0) break;
            return r;
        }
        ++n;
    }
    return {IoStatus::Ok, n};
}

IoResult plain_frame(std::span<uint8_t> buf, IoResult r, const OffloadHeader& h) {
    if (r.status != IoStatus::Ok) return r;
    // A caller that cannot take metadata must not get a super-frame.
    if (h.is_gso() || !complete_checksum(buf.first(r.size), h)) return {IoStatus::Truncated, r.size};
    return r;
}

}  // namespace tvpn
