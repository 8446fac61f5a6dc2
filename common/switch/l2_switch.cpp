#include "common/switch/l2_switch.h"

namespace tvpn {
namespace {

constexpr size_t kEthAddrs = 12;  // destination and source MAC

}  // namespace

L2Switch::L2Switch(const MacTableLimits& table, const FloodLimits& flood, uint64_t seed)
    : table_(table, seed),
      flood_(table_.port_count(), TokenBucket(flood.copies_per_second, flood.burst)),
      stats_(table_.port_count()) {}

void L2Switch::count_learned(MacTable::Learned l, SwitchPortStats& s) {
    switch (l) {
        case MacTable::Learned::Refreshed: break;
        case MacTable::Learned::Added: ++s.learned; break;
        case MacTable::Learned::Moved: ++s.moved_in; break;
        case MacTable::Learned::Recycled: ++s.recycled; break;
        case MacTable::Learned::Refused: ++s.refused; break;
    }
}

void L2Switch::adopt_port(const L2Switch& old, PortId from, PortId to, uint64_t now_ns) {
    if (from >= old.stats_.size() || to >= stats_.size()) return;
    table_.adopt_port(old.table_, from, to, now_ns);
    stats_[to] = old.stats_[from];
}

SwitchVerdict L2Switch::forward(std::span<const uint8_t> frame, PortId ingress, bool learn, uint64_t now_ns) {
    using K = SwitchVerdict::Kind;
    using W = SwitchVerdict::Why;
    if (ingress >= stats_.size() || frame.size() < kEthAddrs) return {K::Drop, kNoPort, W::Runt};
    SwitchPortStats& s = stats_[ingress];
    const uint8_t* dst = frame.data();
    if (learn) count_learned(table_.learn(frame.data() + 6, ingress, now_ns), s);
    const PortId to = (dst[0] & 1) ? kNoPort : table_.lookup(dst, now_ns);
    if (to == ingress) {
        ++s.same_port;  // the destination is on the side the frame came from
        return {K::Drop, kNoPort, W::SamePort};
    }
    if (to != kNoPort) {
        ++s.unicast;
        return {K::ToPort, to};
    }
    if (!flood_[ingress].allow(now_ns, stats_.size() - 1)) {  // one token per copy
        ++s.flood_limited;
        return {K::Drop, kNoPort, W::FloodLimited};
    }
    ++s.flooded;
    return {K::Flood};
}

}  // namespace tvpn
