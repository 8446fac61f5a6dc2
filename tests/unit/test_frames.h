// Builders of Ethernet/IP/TCP/UDP test frames for the offload tests.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace tvpn::test {

struct Frame {
    std::vector<uint8_t> bytes;
    size_t l3, l4, payload;
};

inline void put16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8); p[1] = static_cast<uint8_t>(v); }
inline void put32(uint8_t* p, uint32_t v) { put16(p, static_cast<uint16_t>(v >> 16)); put16(p + 2, static_cast<uint16_t>(v)); }
inline uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t get32(const uint8_t* p) { return static_cast<uint32_t>(get16(p)) << 16 | get16(p + 2); }

// An Ethernet frame with IPv4 or IPv6 and a TCP or UDP header, `payload`
// bytes of a counting pattern, lengths set as the stack does for a GSO frame.
inline Frame make_frame(bool ipv6, bool tcp, size_t payload, bool vlan = false) {
    Frame f;
    size_t eth = vlan ? 18 : 14, iph = ipv6 ? 40 : 20, l4h = tcp ? 32 : 8;
    f.l3 = eth;
    f.l4 = eth + iph;
    f.payload = f.l4 + l4h;
    f.bytes.assign(f.payload + payload, 0);
    uint8_t* b = f.bytes.data();
    std::memset(b, 0x02, 12);
    if (vlan) {
        put16(b + 12, 0x8100);
        put16(b + 14, 7);
    }
    put16(b + eth - 2, ipv6 ? 0x86dd : 0x0800);
    uint8_t* ip = b + eth;
    if (ipv6) {
        ip[0] = 0x60;
        put16(ip + 4, static_cast<uint16_t>(l4h + payload));
        ip[6] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
        ip[7] = 64;
        ip[8] = 0x20; ip[9] = 0x01; ip[23] = 1;
        ip[24] = 0x20; ip[25] = 0x01; ip[39] = 2;
    } else {
        ip[0] = 0x45;
        put16(ip + 2, static_cast<uint16_t>(iph + l4h + payload));
        put16(ip + 4, 0x1234);
        put16(ip + 6, 0x4000);  // DF
        ip[8] = 64;
        ip[9] = tcp ? IPPROTO_TCP : IPPROTO_UDP;
        ip[12] = 192; ip[13] = 168; ip[14] = 3; ip[15] = 1;
        ip[16] = 192; ip[17] = 168; ip[18] = 3; ip[19] = 2;
    }
    uint8_t* l4 = b + f.l4;
    put16(l4, 40000);
    put16(l4 + 2, 5001);
    if (tcp) {
        put32(l4 + 4, 0xfffff000);  // wraps during the split
        put32(l4 + 8, 77);
        l4[12] = 8 << 4;
        l4[13] = 0x18 | 0x01 | 0x80;  // PSH ACK FIN CWR
        put16(l4 + 14, 500);
        l4[20] = 1; l4[21] = 1; l4[22] = 8; l4[23] = 10;  // NOP NOP timestamp
    } else {
        put16(l4 + 4, static_cast<uint16_t>(8 + payload));
    }
    for (size_t i = 0; i < payload; ++i) b[f.payload + i] = static_cast<uint8_t>(i * 7 + 3);
    return f;
}

}  // namespace tvpn::test
