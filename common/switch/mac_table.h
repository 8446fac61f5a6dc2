// The learning switch's table: source MAC -> port, for one interface (an L2
// segment whose ports are the interface itself and its peers). Learning on
// receive, ageing by the clock passed in, a keyed hash (as the Linux bridge's
// fdb), and a fixed share of the table per port, so a port that floods random
// source MACs recycles only its own entries and never evicts another port's.
// All memory is allocated at construction; learn and lookup are O(1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tvpn {

using PortId = uint16_t;
constexpr PortId kNoPort = 0xffff;

struct MacTableLimits {
    size_t ports = 2;                                  // the interface plus its peers
    size_t min_capacity = 8192;                        // entries in all
    size_t min_share = 64;                             // entries per port at least
    uint64_t age_ns = 300ull * 1000000000ull;          // an entry not refreshed for this long is gone
};

class MacTable {
public:
    enum class Learned {
        Refreshed,  // known behind this port
        Moved,      // known behind another port: now behind this one
        Added,
        Recycled,   // added in place of this port's least recently seen entry
        Refused,    // not a unicast source address (group bit set, or all zero)
    };

    // `seed` keys the hash (random per process, so collisions cannot be aimed).
    MacTable(const MacTableLimits& limits, uint64_t seed);

    Learned learn(const uint8_t* mac, PortId port, uint64_t now_ns);
    // The port behind which `mac` was last seen, or kNoPort (unknown or aged out).
    PortId lookup(const uint8_t* mac, uint64_t now_ns) const;
    // Drops entries older than the age limit; returns how many.
    size_t expire(uint64_t now_ns);
    // Drops every entry of a port (a peer removed or restarted).
    void forget_port(PortId port);
    // Takes over the live entries `old` has behind its port `from` as port
    // `to`, with their times (a table rebuilt for another number of ports).
    void adopt_port(const MacTable& old, PortId from, PortId to, uint64_t now_ns);

    size_t size() const { return size_; }
    size_t capacity() const { return entries_.size(); }
    size_t share() const { return share_; }
    size_t port_entries(PortId port) const { return port < ports_.size() ? ports_[port].count : 0; }
    size_t port_count() const { return ports_.size(); }

    // Calls fn(mac, age_ns) for each live entry of `port`, most recent first.
    template <class Fn>
    void for_each(PortId port, uint64_t now_ns, Fn fn) const {
        if (port >= ports_.size()) return;
        for (uint32_t i = ports_[port].head; i != kNil; i = entries_[i].lru_next)
            if (live(entries_[i], now_ns)) fn(entries_[i].mac.data(), now_ns - entries_[i].seen_ns);
    }

private:
    static constexpr uint32_t kNil = UINT32_MAX;
    struct Entry {
        std::array<uint8_t, 6> mac{};
        PortId port = kNoPort;
        uint32_t hash_next = kNil;  // bucket chain, or the free list
        uint32_t lru_prev = kNil, lru_next = kNil;
        uint64_t seen_ns = 0;
    };
    struct Port {
        uint32_t head = kNil, tail = kNil;  // most and least recently seen
        uint32_t count = 0;
    };

    bool live(const Entry& e, uint64_t now_ns) const { return now_ns - e.seen_ns <= age_ns_; }
    uint32_t bucket_of(const uint8_t* mac) const;
    uint32_t find(const uint8_t* mac) const;
    void link_head(uint32_t i, PortId port);
    void unlink(uint32_t i);
    void unhash(uint32_t i);
    void remove(uint32_t i);
    uint32_t take_slot(PortId port, bool& recycled);

    std::vector<Entry> entries_;
    std::vector<uint32_t> buckets_;
    std::vector<Port> ports_;
    uint32_t free_ = kNil;
    size_t size_ = 0;
    size_t share_;
    uint64_t age_ns_;
    uint64_t seed_;
};

}  // namespace tvpn
