#include "common/pwd/handshake_ratelimiter.h"

#include <netinet/in.h>

#include <cstring>

namespace tvpn {
namespace {

std::array<uint8_t, 9> source_key(const sockaddr_storage& src) {
    std::array<uint8_t, 9> key{};
    key[0] = static_cast<uint8_t>(src.ss_family);
    if (src.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&src);
        std::memcpy(key.data() + 1, &in->sin_addr, 4);
    } else if (src.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&src);
        std::memcpy(key.data() + 1, &in6->sin6_addr, 8);  // one /64 is one source
    }
    return key;
}

}  // namespace

void TokenBucket::earn(uint64_t now_ns) {
    if (credit_ == UINT64_MAX) {
        credit_ = max_;
    } else if (now_ns > last_ns_) {
        const uint64_t earned = now_ns - last_ns_;
        credit_ = earned >= max_ - credit_ ? max_ : credit_ + earned;
    }
    last_ns_ = now_ns;
}

bool TokenBucket::allow(uint64_t now_ns, uint64_t tokens) {
    earn(now_ns);
    if (credit_ / cost_ < tokens) return false;
    credit_ -= cost_ * tokens;
    return true;
}

bool HandshakeRateLimiter::allow(const sockaddr_storage& src, uint64_t now_ns) {
    const auto key = source_key(src);
    Entry* entry = nullptr;
    Entry* oldest = &table_[0];
    for (Entry& e : table_) {
        if (e.used && e.key == key) {
            entry = &e;
            break;
        }
        if (!e.used || (oldest->used && e.last_seen_ns < oldest->last_seen_ns)) oldest = &e;
    }
    if (!entry) {  // a new source takes a free or the least recently seen slot
        *oldest = Entry{};
        oldest->key = key;
        oldest->used = true;
        entry = oldest;
    }
    entry->last_seen_ns = now_ns;
    // Per source first, so one noisy source does not use up the total.
    return entry->bucket.allow(now_ns) && total_.allow(now_ns);
}

}  // namespace tvpn
