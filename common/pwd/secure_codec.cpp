#include "common/pwd/secure_codec.h"

#include <algorithm>

#include "common/crypto/hkdf.h"

namespace tvpn {

using namespace wire;

namespace {

constexpr size_t kEthHeaderMin = 14;

std::span<const uint8_t> view(const Packet& p) { return {p.data(), p.len}; }

}  // namespace

Result<std::unique_ptr<SecureCodec>> SecureCodec::create(SecureCodecConfig config, crypto::Spake2Password password,
                                                         Logger& log) {
    auto curve = crypto::Spake2Curve::create();
    if (!curve) return Error{"cannot set up the P-256 group for SPAKE2"};
    if (password.w.size() != crypto::kSpake2ScalarSize) return Error{"invalid password scalar"};
    if (config.rekey_after_ns < kSecond) return Error{"the rekey interval must be at least 1 second"};
    // The instance tells the ends apart (reflection): never all zero, never
    // predictable. No random generator, no tunnel.
    Instance instance{};
    uint8_t seed[8];
    if (!crypto::random_bytes(instance) || all_zero(instance) || !crypto::random_bytes(seed))
        return Error{"the random generator failed (OpenSSL RAND_bytes)"};
    return std::unique_ptr<SecureCodec>(new SecureCodec(std::move(config), std::move(password), log, std::move(curve),
                                                        instance, load_le64(seed)));
}

SecureCodec::SecureCodec(SecureCodecConfig config, crypto::Spake2Password password, Logger& log,
                         std::unique_ptr<crypto::Spake2Curve> curve, Instance instance, uint64_t jitter_seed)
    : config_(std::move(config)),
      reject_after_(reject_after(config_.rekey_after_ns)),
      password_(std::move(password)),
      log_(log),
      curve_(std::move(curve)),
      handshake_(*curve_, password_, instance, wire::name_tag_of(config_.name)),
      timers_(config_.rekey_after_ns, jitter_seed),
      scratch_(new uint8_t[kPacketCapacity]) {
    if (config_.keepalive_ns) timers_.set_keepalive(config_.keepalive_ns);
}

SecureCodec::~SecureCodec() {
    for (size_t i = 0; i < held_count_; ++i) crypto::wipe(held_[i].data(), held_[i].len);
}

bool SecureCodec::usable(const Session* s, uint64_t now) const { return s && s->alive(now, reject_after_); }

Session* SecureCodec::find(Index index) {
    for (Session* s : {current_.get(), next_.get()})
        if (s && s->local_index == index) return s;
    for (auto& s : previous_)
        if (s && s->local_index == index) return s.get();
    return nullptr;
}

// Keeps a session for receiving only, in place of the oldest kept one.
void SecureCodec::retire(std::unique_ptr<Session> s) {
    if (!s) return;
    auto* slot = &previous_[0];
    for (auto& p : previous_) {
        if (!p) {
            slot = &p;
            break;
        }
        if (*slot && p->created_ns < (*slot)->created_ns) slot = &p;
    }
    *slot = std::move(s);
}

// A few tries: a collision among at most a dozen indices is a 2^-28 event,
// so failing every time means a broken generator.
Index SecureCodec::new_index() {
    for (int attempt = 0; attempt < 8; ++attempt) {
        uint8_t b[4];
        if (!crypto::random_bytes(b)) break;
        const Index i = load_le32(b);
        if (i != 0 && !find(i) && !handshake_.answering(i) && !handshake_.initiating_index(i)) return i;
    }
    return 0;
}

// ---- Datagrams in ----

OpenResult SecureCodec::open(Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto type = parse_header(pkt.bytes(), why);
    if (!type) {
        if (why == DropReason::BadVersion) note_foreign_version(pkt, now);
        return OpenResult::drop(why);
    }
    switch (*type) {
        case MessageType::Data:
        case MessageType::Fragment:
        case MessageType::Probe:
        case MessageType::ProbeAck: return open_sealed(pkt, now);
        case MessageType::HandshakeInit: return open_init(pkt, now);
        case MessageType::HandshakeResponse: return open_response(pkt, now);
        case MessageType::HandshakeConfirm: return open_confirm(pkt, now);
        case MessageType::CookieReply: return open_cookie_reply(pkt, now);
    }
    return OpenResult::drop(DropReason::BadVersion);
}

// Every sealed message: replay check before decrypting, commit only after
// the tag verified; then what its type carries.
OpenResult SecureCodec::open_sealed(Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_sealed(pkt.bytes(), why);
    if (!v) return OpenResult::drop(why);
    Session* s = find(v->receiver_index);
    if (!usable(s, now)) return OpenResult::drop(DropReason::NoSession);
    if (!s->replay.check(v->counter)) return OpenResult::drop(DropReason::Replay);
    uint8_t* p = pkt.data();
    std::span<uint8_t> payload(p + kDataHeaderSize, v->payload_size);
    std::span<const uint8_t, crypto::kAeadTagSize> tag(p + kDataHeaderSize + v->payload_size, crypto::kAeadTagSize);
    if (!s->recv->open(v->counter, {p, kDataHeaderSize}, payload, tag)) return OpenResult::drop(DropReason::Auth);
    if (!s->replay.commit(v->counter)) return OpenResult::drop(DropReason::Replay);
    timers_.authenticated_received(now);
    if (s == next_.get()) {
        promote_next(now);
    } else if (!s->acknowledged) {
        s->acknowledged = true;
        timers_.confirm_acknowledged();
    }
    switch (v->type) {
        case MessageType::Fragment: return open_fragment(pkt, *s, payload, now);
        case MessageType::Probe: return open_probe(*s, payload, now);
        case MessageType::ProbeAck: return open_probe_ack(payload, now);
        default: return open_frame(pkt, payload);
    }
}

// A Data message: one whole frame, or nothing (a keepalive).
OpenResult SecureCodec::open_frame(Packet& pkt, std::span<const uint8_t> plaintext) {
    if (plaintext.empty()) return OpenResult::authentic_consumed();  // keepalive
    if (plaintext.size() < kEthHeaderMin || plaintext.size() > kMaxFrame) return OpenResult::drop(DropReason::Malformed);
    pkt.off += kDataHeaderSize;
    pkt.len = static_cast<uint32_t>(plaintext.size());
    return OpenResult::authentic_frame();
}

OpenResult SecureCodec::open_init(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_init(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    if (crypto::equal_ct(v->instance, handshake_.instance())) return OpenResult::drop(DropReason::Auth);  // reflected
    // Before any work: an Init for a tunnel of another name is not for us.
    if (!crypto::equal_ct(v->name_tag, handshake_.name_tag())) return other_name(now);
    // Before any budget: a flood of junk shares must not use up the peer's.
    if (!curve_->share_valid(v->share)) return OpenResult::drop(DropReason::Auth);
    Session* prover = nullptr;
    const InitProof proof = init_proof(*v, now, prover);
    if (proof == InitProof::Replayed) return OpenResult::drop(DropReason::Replay);
    const bool proven = proof == InitProof::Proven;
    // A rekey has its own budget, so a flood of forged inits cannot delay it.
    const auto verdict = proven ? (admission_.proven_init(now) ? HandshakeAdmission::Verdict::Go
                                                               : HandshakeAdmission::Verdict::Limited)
                                : admission_.unproven_init(pkt.addr, *v, now);
    if (verdict == HandshakeAdmission::Verdict::SendCookie) {
        send_cookie(pkt, v->sender_index, now);
        return OpenResult::consumed();
    }
    if (auto r = refused(verdict, pkt, now)) return *r;
    if (proven) handshake_.yield_crossing_rekey(v->instance);  // our timers retry if the peer's run fails
    const Index local = new_index();
    Handshake::Failure f{DropReason::CryptoError};
    auto response = local ? handshake_.answer(*v, local, proven ? &prover->rekey_mac_key : nullptr, pkt.addr, now, f)
                          : std::nullopt;
    note_unconfirmed(now);  // the answer may have pushed out an unconfirmed one
    if (!response) {
        if (!proven) admission_.give_back();  // nobody learnt anything
        if (f.reason == DropReason::RateLimited) ++counts_.rate_limited;
        if (f.reason == DropReason::CryptoError) crypto_failure("an Init was not answered", now);
        return OpenResult::drop(f.reason);
    }
    if (!proven) admission_.answered(*v);
    ++counts_.answered;
    if (control_) control_->send_to_peer(*response);
    return OpenResult::consumed();
}

// Proven: the init's MAC verifies under a live session's rekey key (the peer
// rekeying) and its rekey_seq is new for that session. Replayed: the MAC
// verifies but the sequence number was seen (a recorded rekey init).
SecureCodec::InitProof SecureCodec::init_proof(const InitView& v, uint64_t now, Session*& prover) {
    if (all_zero(v.session_mac)) return InitProof::None;
    uint8_t mac[kSessionMacSize];
    for (Session* s : {current_.get(), next_.get(), previous_[0].get(), previous_[1].get(), previous_[2].get()}) {
        if (!usable(s, now) || !session_init_mac(s->rekey_mac_key, v.mac_input, mac) ||
            !crypto::equal_ct(mac, v.session_mac))
            continue;
        if (v.rekey_seq <= s->rekey_seq_seen) return InitProof::Replayed;
        s->rekey_seq_seen = v.rekey_seq;
        prover = s;
        return InitProof::Proven;
    }
    return InitProof::None;
}

// What a handshake message that was not let through becomes; nullopt: go on.
std::optional<OpenResult> SecureCodec::refused(HandshakeAdmission::Verdict verdict, const Packet& pkt, uint64_t now) {
    using V = HandshakeAdmission::Verdict;
    switch (verdict) {
        case V::Go: return std::nullopt;
        case V::Replayed: return OpenResult::drop(DropReason::Replay);
        case V::GuessLimited:
            if (guess_log_.allow(now))
                log_.warning(config_.label + ": too many handshakes failed or went unconfirmed (someone guessing the "
                             "password?): checking at most one per " +
                             std::to_string(admission_.guess_interval() / kSecond) + " s; the last from " +
                             address_and_port(pkt.addr));
            break;
        case V::Limited:
        case V::SendCookie: break;
    }
    ++counts_.rate_limited;
    return OpenResult::drop(DropReason::RateLimited);
}

// The reply names the Init it answers by its digest, so that the initiator
// can refuse replies to other Inits and replayed ones.
void SecureCodec::send_cookie(const Packet& init, Index receiver, uint64_t now) {
    Cookie cookie;
    std::array<uint8_t, kInitDigestSize> digest;
    if (!control_ || !admission_.cookie_for(init.addr, now, cookie) ||
        !init_digest(std::span<const uint8_t, kInitSize>(init.data(), kInitSize), digest))
        return;
    control_->send_to_peer(make_cookie_reply(receiver, cookie, digest));
    ++counts_.cookies_sent;
}

// Cheap checks first (index, reflection, a point, the session MAC), before
// any budget: junk costs the real peer nothing. A Response that proves the
// session our Init proved comes from the peer: no budget, no guess. Any other
// is one password guess for its sender (only someone who saw our Init can send
// one), charged to the guess budget; a failed one leaves our Init pending, so
// the real Response still completes it.
OpenResult SecureCodec::open_response(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_response(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    if (!handshake_.initiating_index(v->receiver_index))
        return OpenResult::drop(DropReason::NoSession);  // not an answer to our pending init
    if (crypto::equal_ct(v->instance, handshake_.instance()) || !curve_->share_valid(v->share))
        return OpenResult::drop(DropReason::Auth);  // reflected, or not a point
    const auto proof = handshake_.response_proof(*v);
    if (proof == Handshake::ResponseProof::Forged) return OpenResult::drop(DropReason::Auth);
    const bool proven = proof == Handshake::ResponseProof::Proven;
    if (!proven)
        if (auto r = refused(admission_.unproven_response(now), pkt, now)) return *r;
    Handshake::Failure f{DropReason::Auth};
    auto done = handshake_.complete(*v, view(pkt), now, f);
    if (!done) {
        if (f.wrong_password) ++counts_.auth_failed;
        if (proven) return OpenResult::drop(f.reason);
        if (f.wrong_password) guess_failed(pkt.addr, "the handshake response did not verify (wrong password?)", now);
        else admission_.give_back();
        return OpenResult::drop(f.reason);
    }
    if (!proven) admission_.guess_confirmed(now);
    completed(std::move(*done), now);
    return OpenResult::authentic_consumed();
}

// Our run completed: confirm, and install (or keep as next_ until the peer
// shows it has it, so that we keep sending on a working session).
void SecureCodec::completed(Handshake::Initiated done, uint64_t now) {
    if (done.cookie) peer_cookie_.worked(*done.cookie);
    last_confirm_ = done.confirm;
    if (control_) control_->send_to_peer(last_confirm_);
    timers_.confirm_sent(now);
    if (usable(current_.get(), now) && current_->acknowledged) {
        retire(std::move(next_));
        next_ = std::move(done.session);
        session_ready(now);
        ++counts_.established;
    } else {
        install(std::move(done.session), now);
    }
}

OpenResult SecureCodec::open_confirm(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_confirm(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    Handshake::Failure f{DropReason::NoSession};
    bool proven = false;
    if (auto s = handshake_.confirm(*v, proven, f)) {
        if (!proven) admission_.guess_confirmed(now);  // the real peer: not a guess
        install(std::move(s), now);
        send_keepalive(*current_, now);  // tells the initiator we have the session
        return OpenResult::authentic_consumed();
    }
    if (f.wrong_password) {
        // A peer with another password never gets this far (it checks our
        // Response first): forged. The answer stays pending for the real one;
        // unconfirmed, it counts as a failed guess when it expires.
        ++counts_.auth_failed;
        if (auth_log_.allow(now))
            log_.warning(config_.label + ": dropped a key confirmation that did not verify (forged?) from " +
                         address_and_port(pkt.addr));
        return OpenResult::drop(f.reason);
    }
    // Our acknowledgement was lost and the initiator repeats its confirmation.
    if (current_ && !current_->we_initiated && current_->local_index == v->receiver_index &&
        crypto::equal_ct(current_->peer_confirm, v->confirm)) {
        if (usable(current_.get(), now) && confirm_ack_limit_.allow(now)) send_keepalive(*current_, now);
        return OpenResult::consumed();  // a replayable message: it moves nothing
    }
    return OpenResult::drop(f.reason);
}

// The peer answers our init with a cookie: it is under load. Anyone on the
// path can send one, so its effect is bounded: only for an Init of our
// pending run (by index and digest) that proves no session (a rekey never
// needs a cookie), one retry per run, and a cookie that worked is kept
// (docs/PROTOCOL.md, "Cookies").
OpenResult SecureCodec::open_cookie_reply(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_cookie_reply(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    if (!handshake_.cookie_reply_matches(*v) || handshake_.initiating_proven())
        return OpenResult::drop(DropReason::NoSession);
    peer_cookie_.received(v->cookie, now);
    ReceivedCookie::Entry cookie;
    std::copy(v->cookie.begin(), v->cookie.end(), cookie.cookie.begin());
    cookie.received_ns = now;
    if (const Index local = new_index())
        if (auto init = handshake_.init_for_cookie_retry(local, cookie))
            if (control_) control_->send_to_peer(*init);
    return OpenResult::consumed();
}

// ---- Sessions and timers ----

void SecureCodec::install(std::unique_ptr<Session> s, uint64_t now) {
    retire(std::move(current_));
    current_ = std::move(s);
    session_ready(now);
    ++counts_.established;
    flush_held(now);
}

// A handshake completed: the peer is there (again).
void SecureCodec::session_ready(uint64_t now) { timers_.session_ready(now); }

void SecureCodec::promote_next(uint64_t now) {
    next_->acknowledged = true;
    timers_.confirm_acknowledged();
    retire(std::move(current_));
    current_ = std::move(next_);
    flush_held(now);
}

void SecureCodec::initiate(uint64_t now) {
    Session* proof = usable(current_.get(), now) ? current_.get() : nullptr;
    if (!proof && !admission_.can_check_guess(now)) {
        timers_.handshake_initiated(now);  // retried later, when the guess budget has a token
        return;
    }
    const Index local = new_index();
    auto init = local ? handshake_.initiate(local, proof, peer_cookie_.for_init(now)) : std::nullopt;
    timers_.handshake_initiated(now);  // retried later, with backoff, even when it failed
    if (!init) {
        crypto_failure("no handshake started", now);
        return;
    }
    ++counts_.initiated;
    if (control_) control_->send_to_peer(*init);
}

void SecureCodec::expire(uint64_t now) {
    for (auto& p : previous_)
        if (!usable(p.get(), now)) p.reset();
    if (next_ && !usable(next_.get(), now)) next_.reset();
    if (current_ && !usable(current_.get(), now)) {
        current_ = std::move(next_);  // nullptr when there is none
        if (!current_) timers_.session_lost();
    }
    handshake_.expire(now, kRekeyTimeout);
}

SessionFacts SecureCodec::facts(uint64_t now) const {
    SessionFacts f;
    if (!usable(current_.get(), now)) return f;
    f.have_current = true;
    f.current_we_initiated = current_->we_initiated;
    f.current_created_ns = current_->created_ns;
    f.current_send_counter = current_->send_counter;
    // Our new session, waiting for the peer's acknowledgement: that handshake is not over yet.
    f.next_pending = usable(next_.get(), now) && !next_->acknowledged;
    f.current_peer_first = handshake_.yields_to(current_->peer_instance);
    return f;
}

void SecureCodec::tick(uint64_t now) {
    expire(now);
    note_unconfirmed(now);  // after expire(): answers it dropped
    const TimerActions a = timers_.due(now, facts(now));
    if (a.drop_unconfirmed) {  // the peer never showed it has our last session
        if (next_ && !next_->acknowledged) next_.reset();
        if (current_ && !current_->acknowledged) current_.reset();
        if (!usable(current_.get(), now)) timers_.session_lost();
    } else if (a.resend_confirm && control_) {
        control_->send_to_peer(last_confirm_);
    }
    if (a.send_init) initiate(now);
    if (a.send_keepalive && usable(current_.get(), now)) send_keepalive(*current_, now);
    reassembly_.expire(now);
    probe_path(now);
}

// Unproven answers never confirmed: lost messages, a peer with another
// password, or someone guessing ours. Each is a failed guess.
void SecureCodec::note_unconfirmed(uint64_t now) {
    while (auto from = handshake_.take_unconfirmed()) {
        ++counts_.unconfirmed;
        guess_failed(*from, "a handshake we answered was never confirmed (lost, a wrong password, or someone guessing it)",
                     now);
    }
}

// A run charged to the guess budget failed: the budget backs off, and one
// line that names the source (for fail2ban) says so.
void SecureCodec::guess_failed(const sockaddr_storage& from, const char* what, uint64_t now) {
    admission_.guess_failed(now);
    if (fail_log_.allow(now))
        log_.warning(auth_failed_line(from, config_.label, what) + "; guesses now one per " +
                     std::to_string(admission_.guess_interval() / kSecond) + " s");
}

void SecureCodec::note_foreign_version(const Packet& pkt, uint64_t now) {
    const int version = foreign_version(pkt.data(), pkt.len);
    if (version < 0 || !version_log_.allow(now)) return;
    log_.warning(config_.label + ": dropped a -pwd message of protocol version " + std::to_string(version) + " from " +
                 address_and_port(pkt.addr) + ": this end speaks version " + std::to_string(kVersion) +
                 "; both ends must run the same -pwd protocol version");
}

OpenResult SecureCodec::other_name(uint64_t now) {
    if (auth_log_.allow(now))
        log_.warning(config_.label + ": a handshake for a tunnel of another name (ours: '" + config_.name +
                     "'): both ends must give the same -name");
    return OpenResult::drop(DropReason::WrongName);
}

}  // namespace tvpn
