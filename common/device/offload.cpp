#include "common/device/offload.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "common/datapath/checksum.h"

namespace tvpn {
namespace {

constexpr size_t kEthLen = 14, kVlanLen = 4;
constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100, kEtherQinQ = 0x88a8;
constexpr size_t kMinSegmentPayload = 8;  // refuses absurd gso_size values from a confused kernel

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t load32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}
void store16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8); p[1] = static_cast<uint8_t>(v); }
void store32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24); p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8); p[3] = static_cast<uint8_t>(v);
}

// Where the layers of a GSO frame start, all checked against its length.
struct Layout {
    size_t l3 = 0;        // IP header
    size_t l4 = 0;        // TCP/UDP header
    size_t payload = 0;   // first payload byte
    bool ipv6 = false;
    bool tcp = false;
};

bool parse_layout(std::span<const uint8_t> f, const OffloadHeader& h, Layout& out) {
    if (f.size() < kEthLen) return false;
    size_t l3 = kEthLen;
    uint16_t type = load16(&f[12]);
    for (int tags = 0; (type == kEtherVlan || type == kEtherQinQ) && tags < 2; ++tags) {
        if (f.size() < l3 + kVlanLen) return false;
        type = load16(&f[l3 + 2]);
        l3 += kVlanLen;
    }
    const uint8_t gso = h.gso_type & ~OffloadHeader::kGsoEcn;
    out.tcp = gso == OffloadHeader::kGsoTcpV4 || gso == OffloadHeader::kGsoTcpV6;
    if (!out.tcp && gso != OffloadHeader::kGsoUdpL4) return false;
    out.ipv6 = type == kEtherIpv6;
    if (type == kEtherIpv4) {
        if (gso == OffloadHeader::kGsoTcpV6 || f.size() < l3 + 20) return false;
        size_t ihl = static_cast<size_t>(f[l3] & 0x0f) * 4;
        if ((f[l3] >> 4) != 4 || ihl < 20 || f[l3 + 9] != (out.tcp ? IPPROTO_TCP : IPPROTO_UDP)) return false;
        if (load16(&f[l3 + 6]) & 0x3fff) return false;  // a fragment cannot be segmented
        out.l4 = l3 + ihl;
    } else if (type == kEtherIpv6) {
        if (gso == OffloadHeader::kGsoTcpV4 || f.size() < l3 + 40 || (f[l3] >> 4) != 6) return false;
        // Extension headers may sit in between: the kernel's csum_start names the L4 header.
        out.l4 = (h.flags & OffloadHeader::kNeedsCsum) ? h.csum_start : l3 + 40;
        if (out.l4 < l3 + 40) return false;
        if (out.l4 == l3 + 40 && f[l3 + 6] != (out.tcp ? IPPROTO_TCP : IPPROTO_UDP)) return false;
    } else {
        return false;
    }
    if (out.tcp) {
        if (f.size() < out.l4 + 20) return false;
        size_t thl = static_cast<size_t>(f[out.l4 + 12] >> 4) * 4;
        if (thl < 20) return false;
        out.payload = out.l4 + thl;
    } else {
        out.payload = out.l4 + 8;
    }
    out.l3 = l3;
    return out.payload <= f.size();
}

// Fixes lengths, IDs, sequence numbers, flags and checksums of one segment
// whose headers were copied from the super-frame.
void fix_segment(uint8_t* s, const Layout& L, size_t payload_len, size_t index, bool last, uint32_t seq, uint16_t id0) {
    const size_t l4_len = L.payload - L.l4 + payload_len;
    uint64_t sum;
    uint8_t* ip = s + L.l3;
    if (!L.ipv6) {
        store16(ip + 2, static_cast<uint16_t>(L.l4 - L.l3 + l4_len));
        store16(ip + 4, static_cast<uint16_t>(id0 + index));
        store16(ip + 10, 0);
        uint16_t ipsum = checksum_finish(checksum_add(0, {ip, L.l4 - L.l3}));
        std::memcpy(ip + 10, &ipsum, 2);
        sum = pseudo_header_v4(ip + 12, ip + 16, L.tcp ? IPPROTO_TCP : IPPROTO_UDP, static_cast<uint32_t>(l4_len));
    } else {
        store16(ip + 4, static_cast<uint16_t>(L.l4 - L.l3 - 40 + l4_len));
        sum = pseudo_header_v6(ip + 8, ip + 24, L.tcp ? IPPROTO_TCP : IPPROTO_UDP, static_cast<uint32_t>(l4_len));
    }
    uint8_t* l4 = s + L.l4;
    size_t csum_at;
    if (L.tcp) {
        store32(l4 + 4, seq);
        uint8_t& flags = l4[13];
        if (!last) flags &= static_cast<uint8_t>(~0x09);  // FIN and PSH only on the last segment
        if (index > 0) flags &= static_cast<uint8_t>(~0x80);  // CWR only on the first
        csum_at = 16;
    } else {
        store16(l4 + 4, static_cast<uint16_t>(l4_len));
        csum_at = 6;
    }
    store16(l4 + csum_at, 0);
    uint16_t c = checksum_finish(checksum_add(sum, {l4, l4_len}));
    if (!L.tcp && c == 0) c = 0xffff;  // UDP: zero means "no checksum"
    std::memcpy(l4 + csum_at, &c, 2);
}

}  // namespace

bool complete_checksum(std::span<uint8_t> frame, const OffloadHeader& h) {
    if (!(h.flags & OffloadHeader::kNeedsCsum)) return true;
    const size_t start = h.csum_start, at = static_cast<size_t>(h.csum_start) + h.csum_offset;
    if (start >= frame.size() || at + 2 > frame.size()) return false;
    // The field holds the pseudo-header sum already; sum from csum_start on.
    uint16_t c = checksum_finish(checksum_add(0, frame.subspan(start)));
    std::memcpy(&frame[at], &c, 2);
    return true;
}

size_t gso_segment_count(std::span<const uint8_t> frame, const OffloadHeader& h) {
    Layout L;
    if (h.gso_size < kMinSegmentPayload || !parse_layout(frame, h, L)) return 0;
    const size_t payload = frame.size() - L.payload;
    return payload == 0 ? 1 : (payload + h.gso_size - 1) / h.gso_size;
}

size_t gso_header_size(std::span<const uint8_t> frame, const OffloadHeader& h) {
    Layout L;
    return parse_layout(frame, h, L) ? L.payload : 0;
}

size_t gso_split(std::span<const uint8_t> frame, const OffloadHeader& h, SegmentSink& sink) {
    Layout L;
    if (h.gso_size < kMinSegmentPayload || !parse_layout(frame, h, L)) return 0;
    const size_t total = frame.size() - L.payload;
    const size_t count = total == 0 ? 1 : (total + h.gso_size - 1) / h.gso_size;
    const uint32_t seq0 = L.tcp ? load32(&frame[L.l4 + 4]) : 0;
    const uint16_t id0 = L.ipv6 ? 0 : load16(&frame[L.l3 + 4]);
    for (size_t i = 0; i < count; ++i) {
        const size_t off = i * h.gso_size;
        const size_t len = std::min<size_t>(h.gso_size, total - std::min(total, off));
        std::span<uint8_t> out = sink.next(L.payload + len);
        if (out.size() < L.payload + len) return 0;
        std::memcpy(out.data(), frame.data(), L.payload);
        std::memcpy(out.data() + L.payload, frame.data() + L.payload + off, len);
        fix_segment(out.data(), L, len, i, i + 1 == count, seq0 + static_cast<uint32_t>(off), id0);
        sink.commit(L.payload + len);
    }
    return count;
}

}  // namespace tvpn
