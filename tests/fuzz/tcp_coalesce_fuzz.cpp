// TcpCoalescer: frames from the peer (clear text: anyone on the path) merged
// into TAP super-frames. Fed as the datapath feeds it, with frames that are
// either raw bytes or the previous frame's next segment (so that trains
// form), with a valid or a broken TCP checksum. A merged super-frame must
// be consistent for the kernel (its GSO metadata splits it back into as many
// segments), carry exactly the segments' payloads in order, and contain only
// segments whose TCP checksum was right: the kernel will not check it again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/datapath/checksum.h"
#include "common/datapath/tcp_coalesce.h"

using namespace tvpn;
using Bytes = std::vector<uint8_t>;

namespace {

constexpr size_t kEth = 14, kIp = 20, kTcp = 20, kHdr = kEth + kIp + kTcp;

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }
void put16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8), p[1] = static_cast<uint8_t>(v); }
void put32(uint8_t* p, uint32_t v) { for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (24 - 8 * i)); }

// Where the TCP header and payload of an IPv4 or IPv6 frame are; false if not TCP.
bool tcp_layout(const Bytes& f, size_t& l4, size_t& end, bool& v6) {
    if (f.size() < kEth + 40) return false;
    const uint16_t type = be16(&f[12]);
    if (type == 0x0800 && (f[kEth] >> 4) == 4) {
        l4 = kEth + (f[kEth] & 0xf) * 4u;
        end = kEth + be16(&f[kEth + 2]);
        v6 = false;
    } else if (type == 0x86dd && f.size() >= kEth + 60) {
        l4 = kEth + 40;
        end = l4 + be16(&f[kEth + 4]);
        v6 = true;
    } else {
        return false;
    }
    return l4 + kTcp <= end && end <= f.size();
}

// The TCP checksum over header and payload is right.
bool tcp_checksum_ok(const Bytes& f) {
    size_t l4, end;
    bool v6;
    if (!tcp_layout(f, l4, end, v6)) return false;
    const uint8_t* ip = &f[kEth];
    uint64_t sum = v6 ? pseudo_header_v6(ip + 8, ip + 24, 6, static_cast<uint32_t>(end - l4))
                      : pseudo_header_v4(ip + 12, ip + 16, 6, static_cast<uint32_t>(end - l4));
    return checksum_finish(checksum_add(sum, {&f[l4], end - l4})) == 0;
}

void fix_tcp_checksum(Bytes& f) {
    size_t l4, end;
    bool v6;
    if (!tcp_layout(f, l4, end, v6)) return;
    f[l4 + 16] = f[l4 + 17] = 0;
    const uint8_t* ip = &f[kEth];
    uint64_t sum = v6 ? pseudo_header_v6(ip + 8, ip + 24, 6, static_cast<uint32_t>(end - l4))
                      : pseudo_header_v4(ip + 12, ip + 16, 6, static_cast<uint32_t>(end - l4));
    uint16_t c = checksum_finish(checksum_add(sum, {&f[l4], end - l4}));
    std::memcpy(&f[l4 + 16], &c, 2);
}

// The next segment after `prev` (IPv4, no options): same headers, sequence
// advanced, this payload.
Bytes next_segment(const Bytes& prev, const uint8_t* payload, size_t n) {
    Bytes f(prev.begin(), prev.begin() + kHdr);
    size_t prev_payload = prev.size() - kHdr;
    put16(&f[kEth + 2], static_cast<uint16_t>(kIp + kTcp + n));
    put32(&f[kEth + kIp + 4], be32(&f[kEth + kIp + 4]) + static_cast<uint32_t>(prev_payload));
    f.insert(f.end(), payload, payload + n);
    return f;
}

struct Train {
    std::vector<Bytes> frames;  // what was added since the last take()
};

void check_take(TcpCoalescer& c, Train& t) {
    OffloadHeader h;
    const size_t segments = c.segments();
    std::span<const uint8_t> out = c.take(h);
    if (segments != t.frames.size()) std::abort();
    if (segments > 1) {
        // The kernel cuts it into ceil(payload / gso_size) segments: as many as went in.
        if (!h.is_gso() || h.gso_size == 0 || out.size() < h.hdr_len) std::abort();
        if ((out.size() - h.hdr_len + h.gso_size - 1) / h.gso_size != segments) std::abort();
        // Our splitter agrees (it refuses segments under 8 bytes as absurd).
        if (h.gso_size >= 8 && gso_segment_count(out, h) != segments) std::abort();
        Bytes payload;
        for (const Bytes& f : t.frames) {
            if (!tcp_checksum_ok(f)) std::abort();  // merged, so never checked by the receiving stack
            size_t l4, end;
            bool v6;
            if (!tcp_layout(f, l4, end, v6)) std::abort();
            const size_t data = l4 + (f[l4 + 12] >> 4) * 4u;
            payload.insert(payload.end(), f.begin() + data, f.begin() + end);
        }
        if (out.size() < h.hdr_len || out.size() - h.hdr_len != payload.size() ||
            std::memcmp(out.data() + h.hdr_len, payload.data(), payload.size()) != 0)
            std::abort();
    }
    t.frames.clear();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static TcpCoalescer* coalescer = new TcpCoalescer();
    TcpCoalescer& c = *coalescer;
    if (!c.empty()) {
        OffloadHeader h;
        c.take(h);
    }
    Train train;
    Bytes prev;
    // Records: flags (bit 0: next segment of the previous frame, bit 1: fix
    // the TCP checksum), length (2 bytes), bytes.
    for (size_t i = 0; i + 3 <= size;) {
        const uint8_t flags = data[i];
        size_t n = static_cast<size_t>(data[i + 1]) << 8 | data[i + 2];
        i += 3;
        if (n > size - i) n = size - i;
        Bytes f;
        if ((flags & 1) && prev.size() >= kHdr && be16(&prev[12]) == 0x0800 && prev[kEth] == 0x45)
            f = next_segment(prev, data + i, n);
        else
            f.assign(data + i, data + i + n);
        i += n;
        if (flags & 2) fix_tcp_checksum(f);
        // As the datapath does: add; if refused, flush and try once more.
        if (c.add(f)) {
            train.frames.push_back(f);
        } else {
            if (!c.empty()) check_take(c, train);
            if (c.add(f)) train.frames.push_back(f);
        }
        prev = std::move(f);
    }
    if (!c.empty()) check_take(c, train);
    return 0;
}
