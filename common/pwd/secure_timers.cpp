#include "common/pwd/secure_timers.h"

#include "common/pwd/secure_wire.h"

namespace tvpn {

using namespace wire;

SecureTimers::SecureTimers(uint64_t rekey_after_ns, uint64_t jitter_seed)
    : rekey_after_(rekey_after_ns), keepalive_ns_(kKeepalive), rng_(jitter_seed | 1) {}

// Exponential backoff from kRetryFirst to kRetryMax, plus 0-25% jitter so two
// ends that start together drift apart.
uint64_t SecureTimers::retry_interval() {
    uint64_t base = kRetryFirst << (attempts_ < 5 ? attempts_ : 5);
    if (base > kRetryMax) base = kRetryMax;
    return base + next_random() % (base / 4 + 1);
}

// xorshift64: jitter only, nothing secret depends on it.
uint64_t SecureTimers::next_random() {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return rng_;
}

void SecureTimers::handshake_initiated(uint64_t now) {
    pending_ = true;
    retry_at_ = now + retry_interval();
    ++attempts_;
}

void SecureTimers::session_ready(uint64_t now) {
    pending_ = false;
    attempts_ = 0;
    last_handshake_ns_ = now;
    // A new session is as good as a packet from the peer for liveness.
    last_rx_ns_ = now;
    sent_since_rx_ = false;
    lost_ = false;
}

void SecureTimers::confirm_sent(uint64_t now) {
    confirm_waiting_ = true;
    confirm_first_ns_ = now;
    confirm_next_ns_ = now + kConfirmRetry;
}

void SecureTimers::confirm_acknowledged() { confirm_waiting_ = false; }

void SecureTimers::data_sent(uint64_t now) {
    last_sent_ns_ = now;
    if (!sent_since_rx_) first_unanswered_ns_ = now;
    sent_since_rx_ = true;
}

void SecureTimers::authenticated_received(uint64_t now) {
    last_rx_ns_ = now;
    sent_since_rx_ = false;
    lost_ = false;
}

void SecureTimers::session_lost() {
    pending_ = false;
    retry_at_ = 0;
}

// The initiator of the current session rekeys first; the responder waits
// kRekeyTimeout longer, so that only one handshake runs. When both are
// responders (each installed the other's session last: both initiated at
// once), the one with the lower instance waits twice as long: the other
// rekeys first and from then on is the initiator.
bool SecureTimers::rekey_due(uint64_t now, const SessionFacts& f) const {
    if (!f.have_current) return true;
    // The new session waits for the peer's first message (a round trip);
    // rekeying again meanwhile would run every rekey twice.
    if (f.next_pending) return false;
    const uint64_t wait = f.current_we_initiated ? 0 : kRekeyTimeout * (f.current_peer_first ? 2 : 1);
    const uint64_t after = rekey_after_ + wait;
    if (now - f.current_created_ns >= after) return true;
    if (f.current_send_counter >= kRekeyAfterMessages) return true;
    // We keep sending but hear nothing: the peer may have restarted.
    return sent_since_rx_ && now - first_unanswered_ns_ >= kRestartProbe && now - last_rx_ns_ >= kRestartProbe;
}

TimerActions SecureTimers::due(uint64_t now, const SessionFacts& f) {
    TimerActions a;
    if (!started_) {  // a fresh start always handshakes at once: new keys every run
        started_ = true;
        a.send_init = true;
    } else if (pending_) {
        a.send_init = now >= retry_at_;
    } else {
        a.send_init = rekey_due(now, f);
    }
    if (confirm_waiting_ && now >= confirm_next_ns_) {
        if (now - confirm_first_ns_ >= kRekeyTimeout) {
            confirm_waiting_ = false;
            a.drop_unconfirmed = true;
        } else {
            a.resend_confirm = true;
            confirm_next_ns_ = now + kConfirmRetry;
        }
    }
    if (f.have_current && now - last_sent_ns_ >= keepalive_ns_) a.send_keepalive = true;
    const uint64_t dead_after = keepalive_ns_ <= kKeepalive ? kPeerDeadAfter : 3 * keepalive_ns_ + 5 * kSecond;
    if (!lost_ && last_rx_ns_ != 0 && now - last_rx_ns_ >= dead_after) {
        lost_ = true;
        a.peer_lost = true;
    }
    return a;
}

}  // namespace tvpn
