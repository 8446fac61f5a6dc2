// The -pwd codec's sending side and its status: frames sealed on the current
// session (or held until one exists), keepalives, and the status lines. A
// seal that fails never sends anything (secure_codec.h).
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/pwd/secure_codec.h"
#include "common/time_format.h"

namespace tvpn {

using namespace wire;


void SecureCodec::fail_seals_for_test(unsigned n) {
    if (current_) current_->send->fail_seals_for_test(n);
}

// Counted, and logged now and then: a frame or handshake not sent because
// OpenSSL or the random generator failed (never sent with a bad tag or a
// predictable index).
void SecureCodec::crypto_failure(const char* what, uint64_t now) {
    ++counts_.crypto_failures;
    if (crypto_log_.allow(now)) log_.error(config_.label + ": " + what + " (OpenSSL or the random generator failed)");
}

// ---- Frames out ----

SealResult SecureCodec::seal(Packet& pkt, uint64_t now) {
    Session* s = current_.get();
    if (!usable(s, now)) {
        if (held_count_ == kHeldFrames) {
            ++counts_.held_dropped;
            return SealResult::drop(DropReason::NoSession);
        }
        hold(pkt);  // sent when the handshake completes (tick starts it)
        return SealResult::held();
    }
    if (pkt.len > max_whole_frame()) {  // too large for the path: in pieces
        if (pkt.len > kMaxReassembled) return SealResult::drop(DropReason::TooBig);  // more than the peer reassembles
        if (!send_fragments(*s, pkt, now)) return SealResult::drop(DropReason::CryptoError);
        return SealResult::sent();
    }
    if (pkt.headroom() < kDataHeaderSize || pkt.tailroom() < crypto::kAeadTagSize)
        return SealResult::drop(DropReason::TooBig);
    if (!seal_in_place(*s, pkt, now)) return SealResult::drop(DropReason::CryptoError);  // counted by the tunnel
    return SealResult::send();
}

// False: the seal failed, the frame (its plaintext wiped) must not be sent.
// The counter is used up either way: a nonce is never used twice.
bool SecureCodec::seal_in_place(Session& s, Packet& pkt, uint64_t now) {
    const uint64_t counter = s.send_counter++;
    uint8_t* header = pkt.data() - kDataHeaderSize;
    write_data_header(std::span<uint8_t, kDataHeaderSize>(header, kDataHeaderSize), s.remote_index, counter);
    std::span<uint8_t, crypto::kAeadTagSize> tag(pkt.data() + pkt.len, crypto::kAeadTagSize);
    if (!s.send->seal(counter, {header, kDataHeaderSize}, {pkt.data(), pkt.len}, tag)) {
        crypto::wipe(pkt.data(), pkt.len);
        return false;
    }
    pkt.off -= kDataHeaderSize;
    pkt.len += kDataOverhead;
    timers_.data_sent(now);
    return true;
}

void SecureCodec::send_keepalive(Session& s, uint64_t now) { send_sealed(s, MessageType::Data, 0, now); }

void SecureCodec::hold(const Packet& pkt) {
    Packet& h = held_[held_count_++];
    h.off = kHeadroom;
    h.len = pkt.len;
    std::memcpy(h.data(), pkt.data(), pkt.len);
}

void SecureCodec::flush_held(uint64_t now) {
    Session* s = current_.get();
    for (size_t i = 0; i < held_count_; ++i) {
        Packet& h = held_[i];
        if (control_ && usable(s, now)) send_frame(*s, h, now);
        crypto::wipe(h.data(), h.len);
    }
    held_count_ = 0;
}

CodecMetrics SecureCodec::metrics(uint64_t now) const {
    CodecMetrics m;
    m.codec = "pwd";
    m.state = timers_.peer_lost()           ? PeerState::NotResponding
              : usable(current_.get(), now) ? PeerState::Up
              : timers_.handshake_pending() ? PeerState::Handshaking
                                            : PeerState::Waiting;
    m.last_handshake_ns = timers_.last_handshake_ns();
    m.last_authenticated_ns = timers_.last_received_ns();
    m.handshakes = {counts_.initiated, counts_.established, counts_.auth_failed, counts_.unconfirmed,
                    counts_.rate_limited};
    m.path_mtu = path_mtu_.current();
    m.path_black_holes = path_mtu_.black_holes();
    m.fragments_sent = counts_.fragments_sent;
    m.frames_fragmented = counts_.frames_fragmented;
    const ReassemblyStats& r = reassembly_.stats();
    m.frames_reassembled = r.completed;
    m.reassembly_timed_out = r.timed_out;
    m.reassembly_evicted = r.evicted;
    return m;
}

std::string SecureCodec::status(uint64_t now) const {
    char line[320];
    std::string out;
    if (usable(current_.get(), now)) {
        std::snprintf(line, sizeof line, "  session: up (%s), age %.1f s, %" PRIu64 " sent; rekey every %" PRIu64 " s\n",
                      current_->we_initiated ? "we initiated" : "peer initiated",
                      static_cast<double>(now - current_->created_ns) / 1e9, current_->send_counter,
                      timers_.rekey_after() / kSecond);
    } else {
        std::snprintf(line, sizeof line, "  session: none (%s)\n",
                      timers_.handshake_pending() ? "handshaking" : "waiting");
    }
    out += line;
    std::snprintf(line, sizeof line,
                  "  handshakes: last %s; initiated=%" PRIu64 " answered=%" PRIu64 " established=%" PRIu64
                  " rekeys=%" PRIu64 " auth-failed=%" PRIu64 " unconfirmed=%" PRIu64 " rate-limited=%" PRIu64
                  " cookies=%" PRIu64 " guess-interval=%" PRIu64 "s\n",
                  seconds_ago(timers_.last_handshake_ns(), now).c_str(), counts_.initiated, counts_.answered,
                  counts_.established, counts_.established ? counts_.established - 1 : 0, counts_.auth_failed,
                  counts_.unconfirmed, counts_.rate_limited, counts_.cookies_sent,
                  admission_.guess_interval() / kSecond);
    out += line;
    const char* peer = timers_.last_received_ns() == 0 ? "never heard from"
                       : timers_.peer_lost()          ? "NOT RESPONDING"
                                                      : "responding";
    std::snprintf(line, sizeof line, "  peer: %s (last authenticated packet %s); held frames %zu, dropped %" PRIu64 "\n",
                  peer, seconds_ago(timers_.last_received_ns(), now).c_str(), held_count_, counts_.held_dropped);
    out += line;
    out += path_status();
    if (counts_.crypto_failures) {
        std::snprintf(line, sizeof line, "  crypto failures: %" PRIu64 " (messages not sent: OpenSSL or the random generator failed)\n",
                      counts_.crypto_failures);
        out += line;
    }
    return out;
}

}  // namespace tvpn
