#include "common/pwd/path_mtu.h"

#include <algorithm>

namespace tvpn {

PathMtu::PathMtu(uint32_t max) : max_(std::max(max, kBase)), ceiling_(max_) {}

void PathMtu::set_max(uint32_t max, uint64_t now_ns) {
    max_ = std::max(max, kBase);
    confirmed_ = std::min(confirmed_, max_);
    outstanding_ = false;
    losses_ = 0;
    if (state_ == State::Base || state_ == State::BlackHole) {
        ceiling_ = max_;
        next_ns_ = now_ns;
        return;
    }
    search_from_top(now_ns);
}

// The largest size first: the common path carries everything, and then one
// probe settles it.
void PathMtu::search_from_top(uint64_t now_ns) {
    state_ = State::Searching;
    ceiling_ = max_;
    candidate_ = max_;
    losses_ = 0;
    next_ns_ = now_ns;
    if (confirmed_ >= max_) complete(now_ns);
}

void PathMtu::bisect(uint64_t now_ns) {
    if (ceiling_ <= confirmed_ + kGranularity) return complete(now_ns);
    candidate_ = confirmed_ + (ceiling_ - confirmed_ + 1) / 2;
    next_ns_ = now_ns;
}

void PathMtu::complete(uint64_t now_ns) {
    state_ = State::Complete;
    candidate_ = confirmed_;
    next_ns_ = now_ns + kConfirmInterval;
    raise_at_ns_ = now_ns + kRaiseInterval;
}

std::optional<uint32_t> PathMtu::probe_due(uint64_t now_ns) {
    if (outstanding_ || now_ns < next_ns_) return std::nullopt;
    if (state_ == State::Complete && confirmed_ < max_ && now_ns >= raise_at_ns_) search_from_top(now_ns);
    return candidate_;
}

void PathMtu::probe_sent(uint32_t size, uint64_t now_ns) {
    if (size != candidate_ || outstanding_) return;
    outstanding_ = true;
    sent_ns_ = now_ns;
    ++probes_;
}

void PathMtu::acknowledged(uint32_t size, uint64_t now_ns) {
    if (!outstanding_ || size != candidate_) return;  // late, or not ours
    outstanding_ = false;
    losses_ = 0;
    if (state_ == State::Complete) {  // the size in use still passes
        next_ns_ = now_ns + kConfirmInterval;
        return;
    }
    confirmed_ = std::max(confirmed_, size);
    if (state_ == State::Searching) return bisect(now_ns);
    search_from_top(now_ns);  // the base passed
}

void PathMtu::probe_failed(uint64_t now_ns) {
    switch (state_) {
        case State::Base:
        case State::BlackHole:
            state_ = State::BlackHole;  // not even the base passes: keep trying, slowly
            next_ns_ = now_ns + kConfirmInterval;
            return;
        case State::Searching:
            ceiling_ = candidate_ - 1;
            return bisect(now_ns);
        case State::Complete:
            // The size in use stopped passing: the path shrank. Back to the base at once.
            ++black_holes_;
            confirmed_ = kBase;
            candidate_ = kBase;
            ceiling_ = max_;
            state_ = State::Base;
            next_ns_ = now_ns;
            return;
    }
}

void PathMtu::tick(uint64_t now_ns) {
    if (!outstanding_ || now_ns - sent_ns_ < kProbeTimeout) return;
    outstanding_ = false;
    next_ns_ = now_ns;  // the same size again, or the next step
    if (++losses_ < kMaxProbes) return;
    losses_ = 0;
    probe_failed(now_ns);
}

}  // namespace tvpn
