// A simulated path between two test ends (secure_codec_ends.h), with a
// one-way latency and an on-path attacker: every datagram passes the
// attacker halfway, and the attacker may inject datagrams towards either end
// (it cannot drop any). Time is simulated: deliveries and 100 ms ticks run in
// time order, so a run of minutes takes a moment.
#pragma once

#include <functional>
#include <map>

#include "tests/unit/secure_codec_ends.h"

namespace tvpn::test {

class Path {
public:
    // `side` 0 is `a`, 1 is `b`.
    using Observer = std::function<void(int from, const Bytes& datagram, uint64_t now)>;

    Path(End& a, End& b, uint64_t latency, uint64_t now) : ends_{&a, &b}, latency_(latency), now_(now) {}

    void set_observer(Observer o) { observer_ = std::move(o); }
    // Called once per tick, after both ends ticked (a test sends its frames here).
    void set_on_tick(std::function<void(uint64_t now)> f) { on_tick_ = std::move(f); }
    // The attacker's datagram reaches end `to` half a latency from now (it
    // sits halfway), before anything sent at the same time by the other end.
    void inject(int to, Bytes d) { schedule(now_ + latency_ / 2, Event{Kind::Deliver, to, std::move(d)}); }
    // Simulated loss (not the attacker): a datagram sent by `from` for which
    // `keep` is false never arrives.
    void set_filter(std::function<bool(int from, const Bytes&)> keep) { filter_ = std::move(keep); }

    uint64_t now() const { return now_; }
    End& end(int i) { return *ends_[i]; }

    // Runs the two ends until `until`: ticks every 100 ms, deliveries in between.
    void run_until(uint64_t until) {
        if (next_tick_ == 0) next_tick_ = now_;
        while (true) {
            const uint64_t next_event = events_.empty() ? UINT64_MAX : events_.begin()->first;
            const uint64_t at = std::min(next_event, next_tick_);
            if (at > until) break;
            now_ = at;
            if (next_event <= next_tick_) {
                Event e = std::move(events_.begin()->second);
                events_.erase(events_.begin());
                handle(e);
            } else {
                tick();
            }
            collect();
        }
        now_ = until;
    }

private:
    enum class Kind { Deliver, Observe };
    struct Event {
        Kind kind;
        int side;  // Deliver: the receiver; Observe: the sender
        Bytes d;
    };

    void schedule(uint64_t at, Event e) { events_.emplace(at, std::move(e)); }  // multimap: FIFO among equal times

    void handle(Event& e) {
        if (e.kind == Kind::Deliver) {
            ends_[e.side]->receive(e.d, now_);
        } else if (observer_) {
            observer_(e.side, e.d, now_);
        }
    }

    void tick() {
        ends_[0]->codec->tick(now_);
        ends_[1]->codec->tick(now_);
        if (on_tick_) on_tick_(now_);
        next_tick_ = now_ + kTick;
    }

    // What the ends sent goes on the wire: the attacker sees it halfway, the peer gets it after the latency.
    void collect() {
        for (int side = 0; side < 2; ++side) {
            std::deque<Bytes> q;
            q.swap(ends_[side]->out.q);
            for (auto& d : q) {
                if (filter_ && !filter_(side, d)) continue;
                schedule(now_ + latency_ / 2, Event{Kind::Observe, side, d});
                schedule(now_ + latency_, Event{Kind::Deliver, 1 - side, std::move(d)});
            }
        }
    }

    std::array<End*, 2> ends_;
    uint64_t latency_;
    uint64_t now_;
    uint64_t next_tick_ = 0;
    std::multimap<uint64_t, Event> events_;
    Observer observer_;
    std::function<void(uint64_t)> on_tick_;
    std::function<bool(int, const Bytes&)> filter_;
};

}  // namespace tvpn::test
