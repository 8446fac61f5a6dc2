// FairQueue under any sequence of frames (from hosts on the interface's LAN,
// so any bytes) and pops, with small limits so that every drop path runs:
// what leaves is what came, each flow in its order (drops only remove), the
// limits hold after every push, and the counts add up.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

#include "common/datapath/fair_queue.h"
#include "common/datapath/flow_hash.h"

namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kSeed = 0x5eed;

struct FlowModel {
    std::vector<Bytes> pushed;
    size_t next = 0;  // the first that may still be queued
};

// A frame of `len` bytes: the input's bytes from `at` on, repeated.
Bytes make_frame(const uint8_t* data, size_t size, size_t at, size_t len) {
    Bytes f(len);
    for (size_t i = 0; i < len; ++i) f[i] = size ? data[(at + i) % size] : 0;
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    tvpn::FairQueue::Limits limits;
    limits.bytes = 100000;
    limits.small_slots = 8;
    limits.large_slots = 3;
    tvpn::FairQueue q(kSeed, limits);
    std::map<uint64_t, FlowModel> flows;
    size_t pushed = 0, dropped = 0, popped = 0;
    auto check_pop = [&](const tvpn::FairQueue::Frame& f) {
        FlowModel& m = flows[tvpn::flow_hash(f.bytes, kSeed) % tvpn::FairQueue::kFlows];
        while (m.next < m.pushed.size() &&
               !std::equal(m.pushed[m.next].begin(), m.pushed[m.next].end(), f.bytes.begin(), f.bytes.end()))
            ++m.next;
        if (m.next == m.pushed.size()) std::abort();  // never pushed, or out of its flow's order
        ++m.next;
        ++popped;
    };
    for (size_t i = 0; i + 2 < size && pushed < 2000; i += 3) {
        const uint8_t op = data[i];
        if (op & 1) {
            if (auto f = q.pop()) check_pop(*f);
            continue;
        }
        size_t len = (static_cast<size_t>(data[i + 1]) << 8 | data[i + 2]) % 2200;
        if (op & 2) len *= 32;  // a super-frame (up to 70 KB: some too big to queue)
        const Bytes frame = make_frame(data, size, i, len);
        size_t d;
        if ((op & 4) && frame.size() <= tvpn::FairQueue::kLargeSlot) {
            std::copy(frame.begin(), frame.end(), q.read_buffer().begin());
            d = q.push_read(frame.size(), {});
        } else {
            d = q.push_copy(frame, {});
        }
        if (frame.size() > tvpn::FairQueue::kLargeSlot) {
            if (d != 1) std::abort();  // too big: refused and counted, nothing else dropped
            continue;
        }
        flows[tvpn::flow_hash(frame, kSeed) % tvpn::FairQueue::kFlows].pushed.push_back(frame);
        ++pushed;
        dropped += d;
        if (q.bytes() > limits.bytes || q.frames() > limits.small_slots + limits.large_slots) std::abort();
        if (q.read_buffer().size() != tvpn::FairQueue::kLargeSlot) std::abort();
        if (q.frames() != pushed - dropped - popped) std::abort();
    }
    while (auto f = q.pop()) check_pop(*f);
    if (!q.empty() || q.bytes() != 0 || pushed != dropped + popped) std::abort();
    return 0;
}
