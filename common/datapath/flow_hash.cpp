#include "common/datapath/flow_hash.h"

#include "common/hash_mix.h"

namespace tvpn {
namespace {

constexpr size_t kEthHeader = 14;
constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100, kEtherQinQ = 0x88a8;

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

// Folds `n` bytes into the running hash, 8 at a time.
uint64_t fold(uint64_t h, const uint8_t* p, size_t n) {
    while (n) {
        uint64_t word = 0;
        const size_t take = n < 8 ? n : 8;
        for (size_t i = 0; i < take; ++i) word = word << 8 | p[i];
        h = hash_mix(h ^ word);
        p += take;
        n -= take;
    }
    return h;
}

bool has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132 || proto == 136; }

// The transport ports at `l4`, when the frame holds them.
uint64_t fold_ports(uint64_t h, std::span<const uint8_t> frame, size_t l4, uint8_t proto) {
    if (!has_ports(proto) || l4 + 4 > frame.size()) return h;
    return fold(h, frame.data() + l4, 4);
}

uint64_t ipv4_flow(uint64_t h, std::span<const uint8_t> frame, size_t l3) {
    const uint8_t* ip = frame.data() + l3;
    const size_t ihl = static_cast<size_t>(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ihl < 20 || l3 + ihl > frame.size()) return h;
    h = fold(h, ip + 9, 1);    // protocol
    h = fold(h, ip + 12, 8);   // source and destination
    const bool fragment = (be16(ip + 6) & 0x3fff) != 0;  // MF or an offset
    return fragment ? h : fold_ports(h, frame, l3 + ihl, ip[9]);
}

uint64_t ipv6_flow(uint64_t h, std::span<const uint8_t> frame, size_t l3) {
    const uint8_t* ip = frame.data() + l3;
    if ((ip[0] >> 4) != 6) return h;
    h = fold(h, ip + 6, 1);    // next header
    h = fold(h, ip + 8, 32);   // source and destination
    return fold_ports(h, frame, l3 + 40, ip[6]);
}

}  // namespace

uint64_t flow_hash(std::span<const uint8_t> frame, uint64_t seed) {
    if (frame.size() < kEthHeader) return hash_mix(seed ^ frame.size());
    size_t type_at = 12;
    for (int tags = 0; tags < 2 && type_at + 6 <= frame.size(); ++tags) {
        const uint16_t t = be16(frame.data() + type_at);
        if (t != kEtherVlan && t != kEtherQinQ) break;
        type_at += 4;
    }
    // The MACs, the tags and the EtherType: the whole key of a non-IP frame,
    // and part of an IP one's (two VLANs are two flows).
    uint64_t h = fold(seed, frame.data(), type_at + 2 <= frame.size() ? type_at + 2 : frame.size());
    if (type_at + 2 > frame.size()) return h;
    const uint16_t type = be16(frame.data() + type_at);
    const size_t l3 = type_at + 2;
    if (type == kEtherIpv4 && l3 + 20 <= frame.size()) return ipv4_flow(h, frame, l3);
    if (type == kEtherIpv6 && l3 + 40 <= frame.size()) return ipv6_flow(h, frame, l3);
    return h;
}

}  // namespace tvpn
