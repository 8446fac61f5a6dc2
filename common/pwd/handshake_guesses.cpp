#include "common/pwd/handshake_guesses.h"

namespace tvpn {

GuessBudget::GuessBudget(uint64_t burst, uint64_t first_interval, uint64_t max_interval)
    : burst_(burst), first_(first_interval), max_(max_interval), tokens_(burst) {}

uint64_t GuessBudget::interval() const {
    uint64_t i = first_;
    for (unsigned n = 0; n < failures_ && i < max_; ++n) i *= 2;
    return i < max_ ? i : max_;
}

// At most burst_ rounds: every round adds a token.
void GuessBudget::refill(uint64_t now) {
    while (tokens_ < burst_ && now >= next_at_) {
        ++tokens_;
        next_at_ += interval();
    }
}

bool GuessBudget::take(uint64_t now) {
    refill(now);
    if (tokens_ == 0) return false;
    if (tokens_ == burst_) next_at_ = now + interval();
    --tokens_;
    return true;
}

void GuessBudget::refund() {
    if (tokens_ < burst_) ++tokens_;
}

// The next token then comes within the first interval again.
void GuessBudget::confirmed(uint64_t now) {
    refund();
    failures_ = 0;
    if (tokens_ < burst_ && next_at_ > now + first_) next_at_ = now + first_;
}

// The next token comes one (doubled) interval after the failure at the
// earliest, whatever was scheduled before.
void GuessBudget::failed(uint64_t now) {
    refill(now);
    if (interval() < max_) ++failures_;
    const uint64_t at = now + interval();
    if (tokens_ < burst_ && next_at_ < at) next_at_ = at;
}

bool GuessBudget::available(uint64_t now) {
    refill(now);
    return tokens_ > 0;
}

bool GuessBudget::full(uint64_t now) {
    refill(now);
    return tokens_ == burst_;
}

}  // namespace tvpn
