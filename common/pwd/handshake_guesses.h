// The guess budget (docs/PROTOCOL.md, "Guesses"). Each SPAKE2 run that
// proves no session lets its other side test one password, unless the run is
// confirmed: such runs take a token. A burst of tokens, then one per
// interval; the interval doubles with every failed run, up to a cap, and is
// back to the first after a charged run that was confirmed (the peer knows the
// password). Proven rekeys take no token and so never reset the backoff.
// Fixed-size state, time passed in.
#pragma once

#include <cstdint>

namespace tvpn {

class GuessBudget {
public:
    GuessBudget(uint64_t burst, uint64_t first_interval, uint64_t max_interval);

    // A run that may be a guess starts: false if no token is left.
    bool take(uint64_t now);
    // The run that took a token did no work (nobody learnt anything).
    void refund();
    // It was confirmed: not a guess. Refunds and resets the backoff.
    void confirmed(uint64_t now);
    // It failed (a wrong confirmation, or never confirmed): the interval doubles.
    void failed(uint64_t now);
    // No token has been taken, or all have come back.
    bool full(uint64_t now);
    // A token is there now (take() would succeed).
    bool available(uint64_t now);

    uint64_t interval() const;
    unsigned failures() const { return failures_; }

private:
    void refill(uint64_t now);

    uint64_t burst_, first_, max_;
    uint64_t tokens_;
    uint64_t next_at_ = 0;  // when the next token comes (while tokens_ < burst_)
    unsigned failures_ = 0;  // since the last confirmed charged run, up to where the cap is reached
};

}  // namespace tvpn
