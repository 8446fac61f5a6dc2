// Which handshake messages get elliptic-curve work, and from which budget
// (docs/PROTOCOL.md, "Denial of service and online guessing"). Every answer
// to an Init that proves no session, and every such Response we check, is one
// password guess for whoever sent it unless it turns out confirmed: those
// draw on one small guess budget that backs off as guesses fail
// (handshake_guesses.h). Handshakes that prove a session take none. Under load (the budget not full, or the
// source over its rate) an unproven Init must carry our cookie, so that a
// spoofer of the peer's address cannot spend what is meant for the peer.
// Fixed-size state, no I/O, time passed in.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>

#include "common/pwd/handshake_cookie.h"
#include "common/pwd/handshake_guesses.h"
#include "common/pwd/handshake_ratelimiter.h"
#include "common/pwd/secure_wire.h"

namespace tvpn {

class HandshakeAdmission {
public:
    enum class Verdict {
        Go,            // do the work
        SendCookie,    // answer with a CookieReply instead
        Limited,       // over a rate limit
        GuessLimited,  // the guess budget is empty
        Replayed,      // an unproven Init we answered before
    };

    // An Init whose session MAC did not verify. On Go a guess token is taken.
    Verdict unproven_init(const sockaddr_storage& src, const wire::InitView& v, uint64_t now);
    // An Init from the holder of a live session (a rekey): its own budget.
    bool proven_init(uint64_t now) { return rekey_.allow(now); }
    // A Response to our pending Init that proves no session. On Go a guess token is taken.
    Verdict unproven_response(uint64_t now);
    // We answered this unproven Init: a replay of it is not answered again.
    void answered(const wire::InitView& v);
    // What became of a run that took a guess token: it did no work (nobody
    // learnt anything), it was confirmed (not a guess), or it failed.
    void give_back() { guesses_.refund(); }
    void guess_confirmed(uint64_t now) { guesses_.confirmed(now); }
    void guess_failed(uint64_t now) { guesses_.failed(now); }
    uint64_t guess_interval() const { return guesses_.interval(); }
    // Whether an unproven Response could be checked now: else there is no
    // point in sending an unproven Init (its answer would only cost the
    // peer's guess budget, and count as a failure there).
    bool can_check_guess(uint64_t now) { return guesses_.available(now); }

    bool cookie_for(const sockaddr_storage& src, uint64_t now, Cookie& out) {
        return cookies_.cookie_for(src, now, out);
    }

private:
    static constexpr size_t kAnswered = 32;  // > the guess burst plus refills within a cookie's life
    using ShareKey = std::array<uint8_t, 16>;
    static ShareKey key_of(const wire::InitView& v);

    HandshakeRateLimiter limiter_;         // unproven inits without a cookie, per source and in total
    TokenBucket rekey_{5, 5};              // inits that prove they hold a live session
    TokenBucket cookie_{10, 5};            // inits that prove their source with our cookie
    TokenBucket response_{20, 10};         // responses to our own pending init (CPU)
    GuessBudget guesses_{wire::kGuessBurst, wire::kGuessInterval, wire::kGuessIntervalMax};
    CookieJar cookies_;
    std::array<ShareKey, kAnswered> answered_{};
    size_t next_answered_ = 0;
};

}  // namespace tvpn
