// When the -pwd codec starts handshakes, resends confirmations, sends
// keepalives and declares the peer gone. The codec reports events through the
// hooks below (as WireGuard's timers.h) and asks due() on every tick; all the
// policy lives in secure_timers.cpp, with the times from secure_wire.h.
#pragma once

#include <cstdint>

namespace tvpn {

// What the codec knows about its sessions at a tick.
struct SessionFacts {
    bool have_current = false;        // a session usable for sending
    bool current_we_initiated = false;
    uint64_t current_created_ns = 0;
    uint64_t current_send_counter = 0;
    bool next_pending = false;        // our new session is not acknowledged yet: the handshake is still on
    bool current_peer_first = false;  // our instance is the lower one: as responders, the peer rekeys first
};

struct TimerActions {
    bool send_init = false;        // start (or retry) a handshake
    bool resend_confirm = false;   // the peer has not acknowledged our confirmation yet
    bool drop_unconfirmed = false; // ... and never will: discard that session
    bool send_keepalive = false;
    bool peer_lost = false;        // just declared lost: nothing authenticated for too long
};

class SecureTimers {
public:
    SecureTimers(uint64_t rekey_after_ns, uint64_t jitter_seed);
    // -keepalive: a keepalive after this much silence (kKeepalive by default);
    // the peer counts as lost after three of them are missed.
    void set_keepalive(uint64_t interval_ns) { keepalive_ns_ = interval_ns; }

    // Event hooks.
    void handshake_initiated(uint64_t now);
    void session_ready(uint64_t now);           // a handshake completed (either role)
    void confirm_sent(uint64_t now);            // initiator: waiting for the peer's first message
    void confirm_acknowledged();
    void data_sent(uint64_t now);               // any data message, keepalives included
    void authenticated_received(uint64_t now);  // a data message passed AEAD and the replay check
    void session_lost();                        // no usable session any more: start over now

    TimerActions due(uint64_t now, const SessionFacts& facts);

    uint64_t rekey_after() const { return rekey_after_; }
    uint64_t last_handshake_ns() const { return last_handshake_ns_; }
    uint64_t last_received_ns() const { return last_rx_ns_; }
    bool handshake_pending() const { return pending_; }
    bool peer_lost() const { return lost_; }

private:
    bool rekey_due(uint64_t now, const SessionFacts& f) const;
    uint64_t next_random();
    uint64_t retry_interval();

    uint64_t rekey_after_;
    uint64_t keepalive_ns_;
    uint64_t rng_;
    bool started_ = false;
    bool pending_ = false;          // our handshake is outstanding
    unsigned attempts_ = 0;
    uint64_t retry_at_ = 0;
    bool confirm_waiting_ = false;
    uint64_t confirm_first_ns_ = 0, confirm_next_ns_ = 0;
    uint64_t last_handshake_ns_ = 0;
    uint64_t last_sent_ns_ = 0;
    uint64_t last_rx_ns_ = 0;
    bool sent_since_rx_ = false;
    uint64_t first_unanswered_ns_ = 0;
    bool lost_ = false;
};

}  // namespace tvpn
