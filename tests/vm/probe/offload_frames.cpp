#include "tests/vm/probe/offload_frames.h"

#include <arpa/inet.h>
#include <sys/uio.h>

#include <cstring>

namespace probe {

virtio_net_hdr partial_hdr(uint16_t start, uint16_t offset) {
    virtio_net_hdr h{};
    h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    h.csum_start = start;
    h.csum_offset = offset;
    return h;
}

virtio_net_hdr gso_hdr(uint8_t type, uint16_t gso_size) {
    virtio_net_hdr h = partial_hdr(34, 16);
    h.gso_type = type;
    h.gso_size = gso_size;
    h.hdr_len = 54;
    return h;
}

namespace {

uint32_t sum16(const uint8_t* p, size_t n, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += static_cast<uint32_t>(p[n - 1] << 8);
    return sum;
}

uint16_t fold(uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// The pseudo-header sum of an IPv4 frame's transport segment (not complemented).
uint16_t pseudo_sum(const uint8_t* ip, uint8_t proto, size_t l4_len) {
    uint32_t sum = sum16(ip + 12, 8) + proto + static_cast<uint32_t>(l4_len);
    return fold(sum);
}

}  // namespace

std::vector<uint8_t> udp_partial(const uint8_t mac[6], uint16_t port, const std::string& payload) {
    auto f = frame_to_us(mac, port, payload);
    uint16_t s = pseudo_sum(&f[14], 17, 8 + payload.size());
    f[40] = s >> 8, f[41] = s & 0xff;
    return f;
}

std::vector<uint8_t> tcp4_to_us(const uint8_t mac[6], uint16_t port, size_t payload) {
    auto f = frame_to_us(mac, port, "");
    f.resize(54 + payload, 0x5a);
    uint8_t* ip = &f[14];
    size_t ip_len = 40 + payload;
    ip[2] = static_cast<uint8_t>(ip_len >> 8), ip[3] = ip_len & 0xff, ip[9] = 6, ip[10] = ip[11] = 0;
    uint16_t s = ip_checksum(ip, 20);
    ip[10] = s >> 8, ip[11] = s & 0xff;
    uint8_t* tcp = ip + 20;
    std::memset(tcp, 0, 20);
    tcp[0] = 4000 >> 8, tcp[1] = 4000 & 0xff, tcp[2] = port >> 8, tcp[3] = port & 0xff;
    tcp[7] = 1, tcp[11] = 1;  // seq 1, ack 1
    tcp[12] = 5 << 4, tcp[13] = 0x10, tcp[14] = 0xff, tcp[15] = 0xff;  // ACK, window
    uint16_t p = pseudo_sum(ip, 6, 20 + payload);
    tcp[16] = p >> 8, tcp[17] = p & 0xff;
    return f;
}

ssize_t write_vnet(int fd, const virtio_net_hdr& h, const std::vector<uint8_t>& f) {
    iovec iov[2] = {{const_cast<virtio_net_hdr*>(&h), sizeof h}, {const_cast<uint8_t*>(f.data()), f.size()}};
    return ::writev(fd, iov, 2);
}

void BatchBuf::add(const std::vector<uint8_t>& data, uint32_t flags, int64_t len) {
    bytes.resize((bytes.size() + VNDD_BATCH_ALIGN - 1) / VNDD_BATCH_ALIGN * VNDD_BATCH_ALIGN, 0);
    vndd_frame rec{len < 0 ? static_cast<uint32_t>(data.size()) : static_cast<uint32_t>(len), flags};
    const auto* r = reinterpret_cast<const uint8_t*>(&rec);
    bytes.insert(bytes.end(), r, r + sizeof rec);
    bytes.insert(bytes.end(), data.begin(), data.end());
    ends.push_back(bytes.size());
}

void BatchBuf::add_vnet(const virtio_net_hdr& h, const std::vector<uint8_t>& frame) {
    std::vector<uint8_t> data(sizeof h);
    std::memcpy(data.data(), &h, sizeof h);
    data.insert(data.end(), frame.begin(), frame.end());
    add(data);
}

bool parse_batch(const uint8_t* p, size_t n, std::vector<std::vector<uint8_t>>& out) {
    size_t off = 0;
    while (off < n) {
        off = (off + VNDD_BATCH_ALIGN - 1) / VNDD_BATCH_ALIGN * VNDD_BATCH_ALIGN;
        vndd_frame rec;
        if (off + sizeof rec > n) return false;
        std::memcpy(&rec, p + off, sizeof rec);
        off += sizeof rec;
        if (rec.flags || rec.len > n - off) return false;
        out.emplace_back(p + off, p + off + rec.len);
        off += rec.len;
    }
    return true;
}

}  // namespace probe
