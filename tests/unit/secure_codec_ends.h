// Two -pwd codec ends for in-process tests: fake control sinks, an injected
// clock, and helpers that move datagrams between them.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <deque>
#include <vector>

#include "common/pwd/secure_codec.h"

namespace tvpn::test {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t S = wire::kSecond;
constexpr uint64_t kTick = S / 10;

inline crypto::Spake2Password password(uint8_t fill) {
    Bytes w(32, fill);
    return *crypto::spake2_password_raw(w);
}

// Collects what a codec sends on its own (handshakes, keepalives, held frames).
struct Outbox final : ControlSink {
    std::deque<Bytes> q;
    void send_to_peer(std::span<const uint8_t> d) override { q.emplace_back(d.begin(), d.end()); }
};

struct End {
    Logger log{"test", Logger::Sink::Silent};
    std::unique_ptr<SecureCodec> codec;
    Outbox out;
    std::vector<Bytes> frames;  // delivered to the "interface"
    std::array<uint64_t, static_cast<size_t>(DropReason::Count)> drops{};
    uint64_t consumed = 0;
    PacketBatch buf{1};

    End(uint8_t pw, uint64_t rekey = wire::kRekeyAfterTime, Logger::Sink sink = Logger::Sink::Silent,
        std::string name = "") : log("test", sink) {
        SecureCodecConfig config{"test tunnel", rekey};
        config.name = std::move(name);
        auto c = SecureCodec::create(std::move(config), password(pw), log);
        EXPECT_TRUE(c);
        codec = std::move(*c);
        codec->set_control_sink(&out);
    }
    uint64_t dropped(DropReason r) const { return drops[static_cast<size_t>(r)]; }
    uint64_t total_drops() const {
        uint64_t t = 0;
        for (uint64_t d : drops) t += d;
        return t;
    }

    // A datagram as received from the peer's address.
    OpenResult receive(const Bytes& d, uint64_t now) {
        Packet& p = buf[0];
        p.off = kHeadroom;
        p.len = static_cast<uint32_t>(d.size());
        if (!d.empty()) std::memcpy(p.data(), d.data(), d.size());
        auto* in = reinterpret_cast<sockaddr_in*>(&p.addr);
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(0xC6336402);  // 198.51.100.2 port 4000
        in->sin_port = htons(4000);
        p.addrlen = sizeof(sockaddr_in);
        OpenResult r = codec->open(p, now);
        if (r.verdict == OpenVerdict::Drop) ++drops[static_cast<size_t>(r.reason)];
        if (r.verdict == OpenVerdict::Consumed) ++consumed;
        if (r.verdict == OpenVerdict::Frame) frames.emplace_back(p.data(), p.data() + p.len);
        return r;
    }

    // Seals a frame; a sent datagram goes to the outbox like everything else.
    SealVerdict send(const Bytes& frame, uint64_t now) {
        Packet& p = buf[0];
        p.off = kHeadroom;
        p.len = static_cast<uint32_t>(frame.size());
        std::memcpy(p.data(), frame.data(), frame.size());
        SealResult r = codec->seal(p, now);
        if (r.verdict == SealVerdict::Send) out.q.emplace_back(p.data(), p.data() + p.len);
        if (r.verdict == SealVerdict::Drop) ++drops[static_cast<size_t>(r.reason)];
        return r.verdict;
    }
};

inline Bytes frame(uint32_t n, size_t size = 100) {
    Bytes f(size);
    for (size_t i = 0; i < size; ++i) f[i] = static_cast<uint8_t>(i * 31 + n);
    std::memcpy(f.data() + 14, &n, sizeof n);
    return f;
}

// Moves every queued datagram to the other end until both are quiet.
inline void pump(End& a, End& b, uint64_t now) {
    for (int round = 0; round < 20 && (!a.out.q.empty() || !b.out.q.empty()); ++round) {
        std::deque<Bytes> qa, qb;
        qa.swap(a.out.q);
        qb.swap(b.out.q);
        for (auto& d : qa) b.receive(d, now);
        for (auto& d : qb) a.receive(d, now);
    }
}

inline void connect(End& a, End& b, uint64_t now) {
    a.codec->tick(now);
    b.codec->tick(now);
    pump(a, b, now);
}

// How many lines of `text` contain `what`.
inline size_t lines_with(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The message type of a datagram (its first byte).
inline wire::MessageType type_of(const Bytes& d) { return static_cast<wire::MessageType>(d.at(0)); }

}  // namespace tvpn::test
