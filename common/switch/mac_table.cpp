#include "common/switch/mac_table.h"

#include <algorithm>
#include <cstring>

#include "common/hash_mix.h"

namespace tvpn {
namespace {

size_t power_of_two_at_least(size_t n) {
    size_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

// A unicast station address: group bit clear, not all zero.
bool learnable(const uint8_t* mac) {
    if (mac[0] & 1) return false;
    for (int i = 0; i < 6; ++i)
        if (mac[i]) return true;
    return false;
}

}  // namespace

MacTable::MacTable(const MacTableLimits& limits, uint64_t seed)
    : ports_(std::max<size_t>(limits.ports, 1)), age_ns_(limits.age_ns), seed_(seed) {
    const size_t capacity = std::max(limits.min_capacity, ports_.size() * limits.min_share);
    // Every port's share fits at once, so a port below its share always finds a free slot.
    share_ = capacity / ports_.size();
    entries_.resize(share_ * ports_.size());
    buckets_.assign(power_of_two_at_least(entries_.size() * 2), kNil);
    for (uint32_t i = 0; i < entries_.size(); ++i) entries_[i].hash_next = i + 1 < entries_.size() ? i + 1 : kNil;
    free_ = entries_.empty() ? kNil : 0;
}

uint32_t MacTable::bucket_of(const uint8_t* mac) const {
    uint64_t v = 0;
    std::memcpy(&v, mac, 6);
    return static_cast<uint32_t>(hash_mix(v ^ seed_) & (buckets_.size() - 1));
}

uint32_t MacTable::find(const uint8_t* mac) const {
    for (uint32_t i = buckets_[bucket_of(mac)]; i != kNil; i = entries_[i].hash_next)
        if (std::memcmp(entries_[i].mac.data(), mac, 6) == 0) return i;
    return kNil;
}

void MacTable::link_head(uint32_t i, PortId port) {
    Port& p = ports_[port];
    Entry& e = entries_[i];
    e.port = port;
    e.lru_prev = kNil;
    e.lru_next = p.head;
    if (p.head != kNil) entries_[p.head].lru_prev = i;
    p.head = i;
    if (p.tail == kNil) p.tail = i;
    ++p.count;
}

void MacTable::unlink(uint32_t i) {
    Entry& e = entries_[i];
    Port& p = ports_[e.port];
    (e.lru_prev != kNil ? entries_[e.lru_prev].lru_next : p.head) = e.lru_next;
    (e.lru_next != kNil ? entries_[e.lru_next].lru_prev : p.tail) = e.lru_prev;
    e.lru_prev = e.lru_next = kNil;
    --p.count;
}

void MacTable::unhash(uint32_t i) {
    uint32_t* link = &buckets_[bucket_of(entries_[i].mac.data())];
    while (*link != i) link = &entries_[*link].hash_next;
    *link = entries_[i].hash_next;
    entries_[i].hash_next = kNil;
}

void MacTable::remove(uint32_t i) {
    unlink(i);
    unhash(i);
    entries_[i].port = kNoPort;
    entries_[i].hash_next = free_;
    free_ = i;
    --size_;
}

// A free slot, or the port's own least recently seen entry once it holds its share.
uint32_t MacTable::take_slot(PortId port, bool& recycled) {
    recycled = ports_[port].count >= share_;
    if (recycled) {
        const uint32_t i = ports_[port].tail;
        unlink(i);
        unhash(i);
        return i;
    }
    const uint32_t i = free_;  // never kNil: the shares add up to the capacity
    free_ = entries_[i].hash_next;
    ++size_;
    return i;
}

MacTable::Learned MacTable::learn(const uint8_t* mac, PortId port, uint64_t now_ns) {
    if (port >= ports_.size() || !learnable(mac)) return Learned::Refused;
    const uint32_t found = find(mac);
    if (found != kNil) {
        const bool moved = entries_[found].port != port;
        if (moved && ports_[port].count >= share_) remove(ports_[port].tail);  // room in the new port's share
        unlink(found);
        link_head(found, port);
        entries_[found].seen_ns = now_ns;
        return moved ? Learned::Moved : Learned::Refreshed;
    }
    bool recycled = false;
    const uint32_t i = take_slot(port, recycled);
    Entry& e = entries_[i];
    std::memcpy(e.mac.data(), mac, 6);
    e.seen_ns = now_ns;
    const uint32_t b = bucket_of(mac);
    e.hash_next = buckets_[b];
    buckets_[b] = i;
    link_head(i, port);
    return recycled ? Learned::Recycled : Learned::Added;
}

// Oldest first, so that the order within the port (which entry is recycled
// first when its share is full) stays, and a smaller share keeps the newest.
void MacTable::adopt_port(const MacTable& old, PortId from, PortId to, uint64_t now_ns) {
    if (from >= old.ports_.size()) return;
    for (uint32_t i = old.ports_[from].tail; i != kNil; i = old.entries_[i].lru_prev)
        if (old.live(old.entries_[i], now_ns)) learn(old.entries_[i].mac.data(), to, old.entries_[i].seen_ns);
}

PortId MacTable::lookup(const uint8_t* mac, uint64_t now_ns) const {
    const uint32_t i = find(mac);
    return i != kNil && live(entries_[i], now_ns) ? entries_[i].port : kNoPort;
}

size_t MacTable::expire(uint64_t now_ns) {
    size_t removed = 0;
    for (Port& p : ports_)
        while (p.tail != kNil && !live(entries_[p.tail], now_ns)) {
            remove(p.tail);
            ++removed;
        }
    return removed;
}

void MacTable::forget_port(PortId port) {
    if (port >= ports_.size()) return;
    while (ports_[port].tail != kNil) remove(ports_[port].tail);
}

}  // namespace tvpn
