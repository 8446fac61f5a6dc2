#include "common/datapath/tcp_coalesce.h"

#include <netinet/in.h>

#include <cstring>

#include "common/datapath/checksum.h"

namespace tvpn {
namespace {

constexpr size_t kEthLen = 14;
constexpr size_t kMaxIpPacket = 65535;
constexpr size_t kBufSize = kEthLen + kMaxIpPacket;
constexpr uint8_t kAck = 0x10, kPsh = 0x08;

uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t load32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}
void store16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8); p[1] = static_cast<uint8_t>(v); }

// A plain TCP data segment over IPv4 (no options, not a fragment) or IPv6 (no
// extension headers), with only ACK (and maybe PSH) set. Fills its layout.
bool parse_segment(std::span<const uint8_t> f, bool& ipv6, size_t& l4, size_t& thl, size_t& payload_len) {
    if (f.size() < kEthLen + 40) return false;
    const uint8_t* ip = f.data() + kEthLen;
    const uint16_t type = load16(&f[12]);
    size_t ip_total;
    if (type == 0x0800) {
        if (ip[0] != 0x45 || ip[9] != IPPROTO_TCP || (load16(ip + 6) & 0xbfff) != 0) return false;
        ip_total = load16(ip + 2);
        l4 = kEthLen + 20;
        ipv6 = false;
    } else if (type == 0x86dd) {
        if ((ip[0] >> 4) != 6 || ip[6] != IPPROTO_TCP || f.size() < kEthLen + 60) return false;
        ip_total = 40 + static_cast<size_t>(load16(ip + 4));
        l4 = kEthLen + 40;
        ipv6 = true;
    } else {
        return false;
    }
    // Ethernet may pad a short frame; the IP length says where the packet ends.
    if (kEthLen + ip_total > f.size() || kEthLen + ip_total < l4 + 20) return false;
    const uint8_t* th = f.data() + l4;
    thl = static_cast<size_t>(th[12] >> 4) * 4;
    if (thl < 20 || l4 + thl > kEthLen + ip_total) return false;
    payload_len = kEthLen + ip_total - l4 - thl;
    if (payload_len == 0 || (th[13] & ~(kAck | kPsh)) != 0 || !(th[13] & kAck)) return false;
    // A merged frame goes to the kernel with a partial checksum, which it
    // trusts: so only segments whose own checksums verify may be merged. A
    // damaged one goes out alone and the kernel drops it.
    const uint32_t l4_len = static_cast<uint32_t>(kEthLen + ip_total - l4);
    uint64_t sum;
    if (!ipv6) {
        if (checksum_finish(checksum_add(0, {ip, 20})) != 0) return false;
        sum = pseudo_header_v4(ip + 12, ip + 16, IPPROTO_TCP, l4_len);
    } else {
        sum = pseudo_header_v6(ip + 8, ip + 24, IPPROTO_TCP, l4_len);
    }
    return checksum_finish(checksum_add(sum, {f.data() + l4, l4_len})) == 0;
}

}  // namespace

TcpCoalescer::TcpCoalescer() : buf_(new uint8_t[kBufSize]) {}

bool TcpCoalescer::start(std::span<const uint8_t> frame) {
    size_t l4, thl, payload;
    bool ipv6;
    if (!parse_segment(frame, ipv6, l4, thl, payload) || payload > 0xffff) return false;
    len_ = l4 + thl + payload;
    std::memcpy(buf_.get(), frame.data(), len_);
    l3_ = kEthLen;
    l4_ = l4;
    hdr_len_ = l4 + thl;
    ipv6_ = ipv6;
    gso_size_ = static_cast<uint16_t>(payload);
    next_seq_ = load32(frame.data() + l4 + 4) + static_cast<uint32_t>(payload);
    closed_ = (frame[l4 + 13] & kPsh) != 0;
    segments_ = 1;
    return true;
}

// Same flow and same headers but for what changes per segment: IPv4 length,
// ID and checksum; IPv6 payload length; TCP sequence number, PSH, checksum.
bool TcpCoalescer::joins(std::span<const uint8_t> f, size_t l4, size_t payload_len) const {
    const uint8_t* a = buf_.get();
    const uint8_t* b = f.data();
    if (l4 != l4_ || payload_len > gso_size_ || len_ + payload_len > kBufSize) return false;
    if (std::memcmp(a, b, kEthLen) != 0) return false;
    if (!ipv6_) {
        if (a[l3_ + 1] != b[l3_ + 1] || a[l3_ + 6] != b[l3_ + 6] || a[l3_ + 8] != b[l3_ + 8] ||
            std::memcmp(a + l3_ + 12, b + l3_ + 12, 8) != 0)
            return false;
    } else if (std::memcmp(a + l3_, b + l3_, 4) != 0 || a[l3_ + 7] != b[l3_ + 7] ||
               std::memcmp(a + l3_ + 8, b + l3_ + 8, 32) != 0) {
        return false;
    }
    const uint8_t* ta = a + l4_;
    const uint8_t* tb = b + l4;
    // Ports, ack, data offset, window, urgent pointer and every option equal.
    return std::memcmp(ta, tb, 4) == 0 && std::memcmp(ta + 8, tb + 8, 5) == 0 && std::memcmp(ta + 14, tb + 14, 2) == 0 &&
           std::memcmp(ta + 18, tb + 18, hdr_len_ - l4_ - 18) == 0 && load32(tb + 4) == next_seq_;
}

bool TcpCoalescer::add(std::span<const uint8_t> frame) {
    if (segments_ == 0) return start(frame);
    if (closed_) return false;
    size_t l4, thl, payload;
    bool ipv6;
    if (!parse_segment(frame, ipv6, l4, thl, payload) || ipv6 != ipv6_ || l4 + thl != hdr_len_) return false;
    if (!joins(frame, l4, payload)) return false;
    if (len_ - l3_ + payload > kMaxIpPacket) return false;
    std::memcpy(buf_.get() + len_, frame.data() + hdr_len_, payload);
    len_ += payload;
    next_seq_ += static_cast<uint32_t>(payload);
    ++segments_;
    if (frame[l4 + 13] & kPsh) buf_[l4_ + 13] |= kPsh;
    closed_ = payload < gso_size_ || (frame[l4 + 13] & kPsh);
    return true;
}

std::span<const uint8_t> TcpCoalescer::take(OffloadHeader& h) {
    h = {};
    std::span<const uint8_t> out(buf_.get(), len_);
    if (segments_ > 1) {
        uint8_t* ip = buf_.get() + l3_;
        const uint32_t l4_len = static_cast<uint32_t>(len_ - l4_);
        uint64_t pseudo;
        if (!ipv6_) {
            store16(ip + 2, static_cast<uint16_t>(len_ - l3_));
            store16(ip + 10, 0);
            uint16_t sum = checksum_finish(checksum_add(0, {ip, 20}));
            std::memcpy(ip + 10, &sum, 2);
            pseudo = pseudo_header_v4(ip + 12, ip + 16, IPPROTO_TCP, l4_len);
        } else {
            store16(ip + 4, static_cast<uint16_t>(l4_len));
            pseudo = pseudo_header_v6(ip + 8, ip + 24, IPPROTO_TCP, l4_len);
        }
        // A partial checksum, as the stack leaves it for a NIC: the folded
        // pseudo-header sum, not complemented.
        uint16_t partial = static_cast<uint16_t>(~checksum_finish(pseudo));
        std::memcpy(buf_.get() + l4_ + 16, &partial, 2);
        h.flags = OffloadHeader::kNeedsCsum;
        h.gso_type = ipv6_ ? OffloadHeader::kGsoTcpV6 : OffloadHeader::kGsoTcpV4;
        h.gso_size = gso_size_;
        h.hdr_len = static_cast<uint16_t>(hdr_len_);
        h.csum_start = static_cast<uint16_t>(l4_);
        h.csum_offset = 16;
    }
    segments_ = 0;
    len_ = 0;
    return out;
}

}  // namespace tvpn
