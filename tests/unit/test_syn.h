// TCP SYN frames for tests: IPv4 or IPv6, VLAN tags, an MSS option where
// asked, checksums right (MSS clamping tests, unit and datapath).
#pragma once

#include <cstring>
#include <vector>

#include "common/datapath/checksum.h"

namespace tvpn::test::syn {

using Bytes = std::vector<uint8_t>;

inline void put16(uint8_t* p, size_t v) { p[0] = uint8_t(v >> 8), p[1] = uint8_t(v); }
inline uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

struct Syn {
    bool v6 = false;
    int tags = 0;
    uint16_t mss = 1460;
    bool with_mss = true;
    size_t nops_before = 0;  // odd: the MSS value lands on an odd offset
    uint8_t flags = 0x02;    // SYN
    bool hop_by_hop = false;
    uint16_t frag_offset = 0;  // IPv4: a later fragment
};

inline size_t tcp_offset(const Bytes&, const Syn& s) { return 14 + 4 * s.tags + (s.v6 ? 40 + (s.hop_by_hop ? 8 : 0) : 20); }

inline uint64_t pseudo(const Bytes& f, const Syn& s, size_t tcp_len) {
    const size_t l3 = 14 + 4 * s.tags;
    return s.v6 ? pseudo_header_v6(&f[l3 + 8], &f[l3 + 24], 6, uint32_t(tcp_len))
                : pseudo_header_v4(&f[l3 + 12], &f[l3 + 16], 6, uint32_t(tcp_len));
}

inline bool tcp_checksum_ok(const Bytes& f, const Syn& s) {
    const size_t tcp = tcp_offset(f, s);
    return checksum_finish(checksum_add(pseudo(f, s, f.size() - tcp), {f.data() + tcp, f.size() - tcp})) == 0;
}

inline Bytes make_syn(const Syn& s) {
    Bytes opts(s.nops_before, 1);
    if (s.with_mss) opts.insert(opts.end(), {2, 4, uint8_t(s.mss >> 8), uint8_t(s.mss)});
    opts.insert(opts.end(), {4, 2, 1, 1});  // SACK permitted, NOPs
    while (opts.size() % 4) opts.push_back(0);
    Bytes f(14 + 4 * s.tags, 0);
    f[0] = 0x02, f[5] = 1, f[6] = 0x02, f[11] = 2;
    for (int t = 0; t < s.tags; ++t) put16(&f[12 + 4 * t], t == 0 && s.tags == 2 ? 0x88a8 : 0x8100);
    put16(&f[12 + 4 * s.tags], s.v6 ? 0x86dd : 0x0800);
    const size_t tcp_len = 20 + opts.size();
    const size_t l3 = f.size();
    if (s.v6) {
        const size_t ext = s.hop_by_hop ? 8 : 0;
        f.resize(l3 + 40 + ext, 0);
        f[l3] = 0x60;
        put16(&f[l3 + 4], ext + tcp_len);
        f[l3 + 6] = s.hop_by_hop ? 0 : 6;
        f[l3 + 7] = 64;
        f[l3 + 8] = 0xfd, f[l3 + 23] = 1, f[l3 + 24] = 0xfd, f[l3 + 39] = 2;
        if (s.hop_by_hop) f[l3 + 40] = 6, f[l3 + 42] = 1, f[l3 + 43] = 4;  // PadN
    } else {
        f.resize(l3 + 20, 0);
        f[l3] = 0x45;
        put16(&f[l3 + 2], 20 + tcp_len);
        put16(&f[l3 + 6], s.frag_offset);
        f[l3 + 8] = 64, f[l3 + 9] = 6;
        f[l3 + 12] = 192, f[l3 + 13] = 168, f[l3 + 15] = 1, f[l3 + 16] = 192, f[l3 + 17] = 168, f[l3 + 19] = 2;
    }
    const size_t tcp = f.size();
    f.resize(tcp + 20, 0);
    put16(&f[tcp], 40000), put16(&f[tcp + 2], 22);
    f[tcp + 12] = uint8_t((tcp_len / 4) << 4);
    f[tcp + 13] = s.flags;
    put16(&f[tcp + 14], 64240);
    f.insert(f.end(), opts.begin(), opts.end());
    const uint16_t sum = checksum_finish(checksum_add(pseudo(f, s, tcp_len), {f.data() + tcp, tcp_len}));
    std::memcpy(&f[tcp + 16], &sum, 2);
    return f;
}

inline uint16_t mss_of(const Bytes& f, const Syn& s) { return be16(&f[tcp_offset(f, s) + 20 + s.nops_before + 2]); }


}  // namespace tvpn::test::syn
