// The -pwd handshake state machine and data path, driven by a script: two
// ends (same password, or not) exchange their messages, which the script
// delivers, drops, delays, corrupts, replays, or replaces with its own bytes,
// while time advances, frames are sent and either end may restart. Whatever happens, an end only
// ever delivers frames its peer sealed, each at most once, and with a wrong
// password none at all.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

#include "tests/fuzz/codec_peer.h"

using namespace tvpn;
using namespace tvpn::fuzz;

namespace {

class Script {
public:
    Script(const uint8_t* d, size_t n) : d_(d), n_(n) {}
    bool more() const { return pos_ < n_; }
    uint8_t byte() { return pos_ < n_ ? d_[pos_++] : 0; }
    uint16_t word() { return static_cast<uint16_t>(byte() | byte() << 8); }

private:
    const uint8_t* d_;
    size_t n_;
    size_t pos_ = 0;
};

struct World {
    std::unique_ptr<CodecPeer> ends[2];
    uint64_t now = 1000 * wire::kSecond;
    std::array<Bytes, 16> seen{};  // recent datagrams, for replays
    size_t seen_next = 0;
    std::map<Bytes, int> sealed[2];  // frames each end sealed
    std::map<Bytes, int> delivered[2];
    uint32_t next_frame = 0;
    bool same_password;

    uint64_t rekey;

    World(bool same, uint64_t rekey_ns) : same_password(same), rekey(rekey_ns) {
        restart(0);
        restart(1);
    }
    CodecPeer& end(int i) { return *ends[i]; }
    // A new process at end `i`: fresh instance, no sessions. What it sealed
    // and delivered before still counts.
    void restart(int i) { ends[i] = std::make_unique<CodecPeer>(i == 0 || same_password ? 1 : 2, rekey); }

    // Moves end `from`'s oldest outgoing datagram to the other end, maybe
    // with one bit flipped.
    void deliver(int from, bool flip, uint16_t where) {
        auto& q = end(from).out.q;
        if (q.empty()) return;
        Bytes d = std::move(q.front());
        q.pop_front();
        if (flip && !d.empty()) d[where % d.size()] ^= static_cast<uint8_t>(1u << (where >> 13));
        if (!flip) seen[seen_next++ % seen.size()] = d;
        end(1 - from).receive(d, now);
    }
    void seal(int at, uint8_t size) {
        Bytes f = numbered_frame(next_frame++, 14 + size * 6u);
        ++sealed[at][f];
        end(at).send(f, now);
    }
    void tick(uint8_t tenths) {
        now += uint64_t{tenths} * wire::kSecond / 10 + 1;
        ends[0]->codec->tick(now);
        ends[1]->codec->tick(now);
    }
    // Every frame delivered was sealed by the other end, and not more often.
    void check() {
        for (int i = 0; i < 2; ++i) {
            for (auto& f : end(i).frames) {
                if (!same_password) std::abort();
                int& n = delivered[i][f];
                if (++n > sealed[1 - i][f]) std::abort();
            }
            end(i).frames.clear();
        }
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Script s(data, size);
    const uint8_t setup = s.byte();
    World w((setup & 1) == 0, (setup & 2) ? 2 * wire::kSecond : wire::kRekeyAfterTime);
    w.tick(1);
    for (int step = 0; step < 200 && s.more(); ++step) {
        const uint8_t op = s.byte();
        const int who = op >> 7;
        switch (op & 7) {
            case 0: w.deliver(who, false, 0); break;
            case 1:
                if ((op & 0x78) == 0x78) w.restart(who);
                else w.deliver(who, false, 0);
                break;
            case 2: w.deliver(who, true, s.word()); break;
            case 3: if (!w.end(who).out.q.empty()) w.end(who).out.q.pop_front(); break;  // lost
            case 4: {
                const Bytes& r = w.seen[s.byte() % w.seen.size()];
                if (!r.empty()) w.end(who).receive(r, w.now);
                break;
            }
            case 5: w.tick(s.byte()); break;
            case 6: w.seal(who, s.byte()); break;
            case 7: {  // the script's own datagram
                const uint8_t n = s.byte();
                Bytes d;
                for (uint8_t i = 0; i < n && s.more(); ++i) d.push_back(s.byte());
                w.end(who).receive(d, w.now);
                break;
            }
        }
        w.check();
    }
    return 0;
}
