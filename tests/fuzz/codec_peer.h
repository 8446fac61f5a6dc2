// One end of a -pwd tunnel for fuzz targets: a SecureCodec with a silent
// logger, an outbox for what it sends (handshakes, keepalives, data), and
// the frames it delivers. Datagrams are opened at offset 0 of an exact
// packet buffer, as the datapath receives them.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "common/pwd/secure_codec.h"
#include "tests/fuzz/fuzz_packet.h"

namespace tvpn::fuzz {

using Bytes = std::vector<uint8_t>;

struct Outbox final : ControlSink {
    std::deque<Bytes> q;
    void send_to_peer(std::span<const uint8_t> d) override {
        if (q.size() < 256) q.emplace_back(d.begin(), d.end());
    }
};

inline crypto::Spake2Password fuzz_password(uint8_t fill) {
    Bytes w(crypto::kSpake2ScalarSize, fill);
    auto pw = crypto::spake2_password_raw(w);
    if (!pw) std::abort();
    return std::move(*pw);
}

class CodecPeer {
public:
    explicit CodecPeer(uint8_t password_fill, uint64_t rekey_ns = wire::kRekeyAfterTime)
        : log_("fuzz", Logger::Sink::Silent) {
        auto c = SecureCodec::create(SecureCodecConfig{"fuzz tunnel", rekey_ns}, fuzz_password(password_fill), log_);
        if (!c) std::abort();
        codec = std::move(*c);
        codec->set_control_sink(&out);
    }

    // A datagram from the peer's address; a frame it yields lands in `frames`.
    OpenResult receive(const uint8_t* d, size_t n, uint64_t now) {
        Packet& p = in_.load(d, n, 0);
        auto* sin = reinterpret_cast<sockaddr_in*>(&p.addr);
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(0xC6336402);
        p.addrlen = sizeof(sockaddr_in);
        OpenResult r = codec->open(p, now);
        in_.check_bounds();
        if (r.verdict == OpenVerdict::Frame) frames.emplace_back(p.data(), p.data() + p.len);
        return r;
    }
    OpenResult receive(const Bytes& d, uint64_t now) { return receive(d.data(), d.size(), now); }

    // Seals a frame; what is sent goes to the outbox with everything else.
    SealVerdict send(const Bytes& frame, uint64_t now) {
        Packet& p = out_pkt_.load(frame.data(), frame.size(), kHeadroom);
        SealResult r = codec->seal(p, now);
        out_pkt_.check_bounds();
        if (r.verdict == SealVerdict::Send) out.q.emplace_back(p.data(), p.data() + p.len);
        return r.verdict;
    }

    std::unique_ptr<SecureCodec> codec;
    Outbox out;
    std::vector<Bytes> frames;

private:
    Logger log_;
    FuzzPacket in_, out_pkt_;
};

// A frame that names its sequence number, so that deliveries can be checked.
inline Bytes numbered_frame(uint32_t n, size_t size) {
    if (size < 18) size = 18;
    Bytes f(size);
    for (size_t i = 0; i < size; ++i) f[i] = static_cast<uint8_t>(i * 31 + n);
    std::memcpy(f.data() + 14, &n, sizeof n);
    return f;
}

}  // namespace tvpn::fuzz
