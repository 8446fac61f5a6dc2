#include "common/datapath/mss_clamp.h"

#include <cstring>

#include "common/datapath/checksum.h"

namespace tvpn {
namespace {

constexpr size_t kEth = 14, kVlanTag = 4, kMaxTags = 2;
constexpr size_t kIp4Min = 20, kIp6 = 40, kTcpMin = 20;
constexpr uint8_t kTcp = 6, kSynFlag = 0x02;
constexpr uint8_t kOptEnd = 0, kOptNop = 1, kOptMss = 2;
constexpr size_t kMaxExtHeaders = 8;

uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

struct Located {
    size_t l3 = 0;         // offset of the IP header
    size_t tcp = 0;        // offset of the TCP header
    size_t ip_min = 0;     // IPv4 or IPv6 base header size, for the MSS arithmetic
};

// Offset of the IP header after up to two VLAN tags and its ethertype; 0 if none.
size_t l3_offset(std::span<const uint8_t> f, uint16_t& ethertype) {
    size_t off = 12;
    for (size_t tags = 0;; ++tags) {
        if (f.size() < off + 2) return 0;
        ethertype = load_be16(&f[off]);
        if (ethertype != 0x8100 && ethertype != 0x88a8) return off + 2;
        if (tags == kMaxTags) return 0;
        off += kVlanTag;
    }
}

bool locate_tcp_v4(std::span<const uint8_t> f, size_t l3, Located& at) {
    if (f.size() < l3 + kIp4Min || (f[l3] >> 4) != 4) return false;
    const size_t ihl = (f[l3] & 0x0f) * 4u;
    const size_t total = load_be16(&f[l3 + 2]);
    const bool later_fragment = (load_be16(&f[l3 + 6]) & 0x1fff) != 0;
    if (ihl < kIp4Min || f[l3 + 9] != kTcp || later_fragment || total < ihl + kTcpMin || l3 + total > f.size())
        return false;
    at = {l3, l3 + ihl, kIp4Min};
    return true;
}

// Walks the extension headers a SYN may carry: hop-by-hop, routing,
// destination options, and a first fragment.
bool locate_tcp_v6(std::span<const uint8_t> f, size_t l3, Located& at) {
    if (f.size() < l3 + kIp6 || (f[l3] >> 4) != 6) return false;
    const size_t end = l3 + kIp6 + load_be16(&f[l3 + 4]);
    if (end > f.size()) return false;
    uint8_t next = f[l3 + 6];
    size_t off = l3 + kIp6;
    for (size_t i = 0; i < kMaxExtHeaders && next != kTcp; ++i) {
        if (off + 8 > end) return false;
        size_t len = 0;
        if (next == 0 || next == 43 || next == 60) {
            len = (f[off + 1] + 1u) * 8u;
        } else if (next == 44) {
            if ((load_be16(&f[off + 2]) & 0xfff8) != 0) return false;  // not the first fragment
            len = 8;
        } else {
            return false;
        }
        next = f[off];
        off += len;
    }
    if (next != kTcp || off + kTcpMin > end) return false;
    at = {l3, off, kIp6};
    return true;
}

// Changes one byte covered by the checksum at `sum` (offsets within the TCP header).
void patch_byte(uint8_t* tcp, size_t pos, uint8_t value, bool update_sum) {
    if (update_sum) {
        uint8_t before[2] = {0, 0}, after[2] = {0, 0};
        before[pos & 1] = tcp[pos];
        after[pos & 1] = value;
        uint16_t stored, o, n;
        std::memcpy(&stored, tcp + 16, 2);
        std::memcpy(&o, before, 2);
        std::memcpy(&n, after, 2);
        stored = checksum_update16(stored, o, n);
        std::memcpy(tcp + 16, &stored, 2);
    }
    tcp[pos] = value;
}

// Finds the MSS option in the SYN's options; offset within the header, or 0.
size_t find_mss_option(const uint8_t* tcp, size_t header_len) {
    size_t i = kTcpMin;
    while (i < header_len) {
        const uint8_t kind = tcp[i];
        if (kind == kOptEnd) return 0;
        if (kind == kOptNop) {
            ++i;
            continue;
        }
        if (i + 1 >= header_len) return 0;
        const size_t len = tcp[i + 1];
        if (len < 2 || i + len > header_len) return 0;
        if (kind == kOptMss) return len == 4 ? i : 0;
        i += len;
    }
    return 0;
}

}  // namespace

MssClamp clamp_mss(std::span<uint8_t> frame, size_t max_frame, bool checksum_partial) {
    uint16_t ethertype = 0;
    const size_t l3 = l3_offset(frame, ethertype);
    if (l3 == 0) return MssClamp::NotSyn;
    Located at;
    const bool found = ethertype == 0x0800 ? locate_tcp_v4(frame, l3, at)
                       : ethertype == 0x86dd ? locate_tcp_v6(frame, l3, at)
                                             : false;
    if (!found || frame.size() < at.tcp + kTcpMin) return MssClamp::NotSyn;
    uint8_t* tcp = frame.data() + at.tcp;
    const size_t header_len = (tcp[12] >> 4) * 4u;
    if (!(tcp[13] & kSynFlag) || header_len < kTcpMin || at.tcp + header_len > frame.size()) return MssClamp::NotSyn;
    const size_t overhead = at.l3 + at.ip_min + kTcpMin;
    if (max_frame <= overhead) return MssClamp::Fits;  // nothing sensible to clamp to
    const size_t limit = max_frame - overhead > 0xffff ? 0xffff : max_frame - overhead;
    // Without the option the peer assumes 536 (IPv4) or 1220 (IPv6): small enough.
    const size_t opt = find_mss_option(tcp, header_len);
    if (opt == 0 || load_be16(tcp + opt + 2) <= limit) return MssClamp::Fits;
    patch_byte(tcp, opt + 2, static_cast<uint8_t>(limit >> 8), !checksum_partial);
    patch_byte(tcp, opt + 3, static_cast<uint8_t>(limit), !checksum_partial);
    return MssClamp::Clamped;
}

}  // namespace tvpn
