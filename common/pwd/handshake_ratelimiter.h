// Limits the handshake messages that cost elliptic-curve work: token buckets
// per source address (IPv4 address, or IPv6 /64) in a fixed-size table, and
// one for everything together. The table never grows: when it is full the
// least recently used entry is reused, so a spoofed flood costs no memory.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>

namespace tvpn {

// A token bucket in nanoseconds of credit (as WireGuard's ratelimiter).
class TokenBucket {
public:
    TokenBucket(uint64_t per_second, uint64_t burst) : cost_(1000000000ull / per_second), max_(cost_ * burst) {}
    bool allow(uint64_t now_ns, uint64_t tokens = 1);

private:
    void earn(uint64_t now_ns);

    uint64_t cost_;
    uint64_t max_;
    uint64_t credit_ = UINT64_MAX;  // full on first use
    uint64_t last_ns_ = 0;
};

class HandshakeRateLimiter {
public:
    static constexpr size_t kTableSize = 64;
    static constexpr uint64_t kPerSourcePerSecond = 10, kPerSourceBurst = 5;
    static constexpr uint64_t kTotalPerSecond = 40, kTotalBurst = 20;

    // True if a handshake message from `src` may be processed now.
    bool allow(const sockaddr_storage& src, uint64_t now_ns);

private:
    struct Entry {
        std::array<uint8_t, 9> key{};  // family byte + address (IPv4) or /64 prefix (IPv6)
        bool used = false;
        uint64_t last_seen_ns = 0;
        TokenBucket bucket{kPerSourcePerSecond, kPerSourceBurst};
    };
    std::array<Entry, kTableSize> table_{};
    TokenBucket total_{kTotalPerSecond, kTotalBurst};
};

}  // namespace tvpn
