#include "common/secure_codec.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/crypto/hkdf.h"

namespace tvpn {

using namespace wire;

namespace {

constexpr size_t kEthHeaderMin = 14;

std::string seconds_ago(uint64_t then, uint64_t now) {
    if (then == 0) return "never";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s ago", static_cast<double>(now - then) / 1e9);
    return buf;
}

std::span<const uint8_t> view(const Packet& p) { return {p.data(), p.len}; }

}  // namespace

Result<std::unique_ptr<SecureCodec>> SecureCodec::create(SecureCodecConfig config, crypto::Spake2Password password,
                                                         Logger& log) {
    auto curve = crypto::Spake2Curve::create();
    if (!curve) return Error{"cannot set up the P-256 group for SPAKE2"};
    if (password.w.size() != crypto::kSpake2ScalarSize) return Error{"invalid password scalar"};
    if (config.rekey_after_ns < kSecond) return Error{"the rekey interval must be at least 1 second"};
    return std::unique_ptr<SecureCodec>(new SecureCodec(std::move(config), std::move(password), log, std::move(curve)));
}

static Instance random_instance() {
    Instance id{};
    crypto::random_bytes(id);
    return id;
}

static uint64_t random_u64() {
    uint8_t b[8];
    crypto::random_bytes(b);
    return load_le64(b);
}

SecureCodec::SecureCodec(SecureCodecConfig config, crypto::Spake2Password password, Logger& log,
                         std::unique_ptr<crypto::Spake2Curve> curve)
    : config_(std::move(config)),
      reject_after_(reject_after(config_.rekey_after_ns)),
      password_(std::move(password)),
      log_(log),
      curve_(std::move(curve)),
      handshake_(*curve_, password_, random_instance(), wire::name_tag_of(config_.name)),
      timers_(config_.rekey_after_ns, random_u64()) {
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

Index SecureCodec::new_index() {
    for (;;) {
        uint8_t b[4];
        crypto::random_bytes(b);
        const Index i = load_le32(b);
        if (i != 0 && !find(i) && !handshake_.answering(i) && i != handshake_.initiating_index()) return i;
    }
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
    if (pkt.headroom() < kDataHeaderSize || pkt.tailroom() < crypto::kAeadTagSize)
        return SealResult::drop(DropReason::TooBig);
    seal_in_place(*s, pkt, now);
    return SealResult::send();
}

void SecureCodec::seal_in_place(Session& s, Packet& pkt, uint64_t now) {
    const uint64_t counter = s.send_counter++;
    uint8_t* header = pkt.data() - kDataHeaderSize;
    write_data_header(std::span<uint8_t, kDataHeaderSize>(header, kDataHeaderSize), s.remote_index, counter);
    std::span<uint8_t, crypto::kAeadTagSize> tag(pkt.data() + pkt.len, crypto::kAeadTagSize);
    s.send->seal(counter, {header, kDataHeaderSize}, {pkt.data(), pkt.len}, tag);
    pkt.off -= kDataHeaderSize;
    pkt.len += kDataOverhead;
    timers_.data_sent(now);
}

void SecureCodec::send_keepalive(Session& s, uint64_t now) {
    if (!control_) return;
    uint8_t buf[kDataOverhead];
    const uint64_t counter = s.send_counter++;
    write_data_header(std::span<uint8_t, kDataHeaderSize>(buf, kDataHeaderSize), s.remote_index, counter);
    s.send->seal(counter, {buf, kDataHeaderSize}, {}, std::span<uint8_t, crypto::kAeadTagSize>(buf + kDataHeaderSize,
                                                                                               crypto::kAeadTagSize));
    control_->send_to_peer(buf);
    timers_.data_sent(now);
}

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
        if (control_ && usable(s, now)) {
            seal_in_place(*s, h, now);
            control_->send_to_peer(h.bytes());
        }
        crypto::wipe(h.data(), h.len);
    }
    held_count_ = 0;
}

// ---- Datagrams in ----

OpenResult SecureCodec::open(Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto type = parse_header(pkt.bytes(), why);
    if (!type) return OpenResult::drop(why);
    switch (*type) {
        case MessageType::Data: return open_data(pkt, now);
        case MessageType::HandshakeInit: return open_init(pkt, now);
        case MessageType::HandshakeResponse: return open_response(pkt, now);
        case MessageType::HandshakeConfirm: return open_confirm(pkt, now);
        case MessageType::CookieReply: return open_cookie_reply(pkt, now);
    }
    return OpenResult::drop(DropReason::BadVersion);
}

// Replay check before decrypting, commit only after the tag verified.
OpenResult SecureCodec::open_data(Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_data(pkt.bytes(), why);
    if (!v) return OpenResult::drop(why);
    Session* s = find(v->receiver_index);
    if (!usable(s, now)) return OpenResult::drop(DropReason::NoSession);
    if (!s->replay.check(v->counter)) return OpenResult::drop(DropReason::Replay);
    uint8_t* p = pkt.data();
    std::span<uint8_t> payload(p + kDataHeaderSize, v->payload_size);
    std::span<const uint8_t, crypto::kAeadTagSize> tag(p + kDataHeaderSize + v->payload_size, crypto::kAeadTagSize);
    if (!s->recv->open(v->counter, {p, kDataHeaderSize}, payload, tag)) return OpenResult::drop(DropReason::Auth);
    if (!s->replay.commit(v->counter)) return OpenResult::drop(DropReason::Replay);
    const bool was_lost = timers_.peer_lost();
    timers_.authenticated_received(now);
    if (was_lost && event_log_.allow(now)) log_.info(config_.label + ": peer is responding again");
    if (s == next_.get()) {
        promote_next(now);
    } else if (!s->acknowledged) {
        s->acknowledged = true;
        timers_.confirm_acknowledged();
    }
    if (v->payload_size == 0) return OpenResult::authentic_consumed();  // keepalive
    if (v->payload_size < kEthHeaderMin || v->payload_size > kMaxFrame) return OpenResult::drop(DropReason::Malformed);
    pkt.off += kDataHeaderSize;
    pkt.len = static_cast<uint32_t>(v->payload_size);
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
    const InitProof proof = init_proof(*v, now);
    if (proof == InitProof::Replayed) return OpenResult::drop(DropReason::Replay);
    const bool proven = proof == InitProof::Proven;
    // A rekey has its own budget, so a flood of forged inits cannot delay it.
    const auto verdict = proven ? (admission_.proven_init(now) ? HandshakeAdmission::Verdict::Go
                                                               : HandshakeAdmission::Verdict::Limited)
                                : admission_.unproven_init(pkt.addr, *v, now);
    if (auto r = refused(verdict, pkt, v->sender_index, now)) return *r;
    Handshake::Failure f{DropReason::Auth};
    auto response = handshake_.answer(*v, new_index(), proven, now, f);
    if (!response) {
        if (!proven) admission_.give_back();  // nobody learnt anything
        if (f.reason == DropReason::RateLimited) ++counts_.rate_limited;
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
SecureCodec::InitProof SecureCodec::init_proof(const InitView& v, uint64_t now) {
    if (all_zero(v.session_mac)) return InitProof::None;
    uint8_t mac[kSessionMacSize];
    for (Session* s : {current_.get(), next_.get(), previous_[0].get(), previous_[1].get(), previous_[2].get()}) {
        if (!usable(s, now) || !session_init_mac(s->rekey_mac_key, v.mac_input, mac) ||
            !crypto::equal_ct(mac, v.session_mac))
            continue;
        if (v.rekey_seq <= s->rekey_seq_seen) return InitProof::Replayed;
        s->rekey_seq_seen = v.rekey_seq;
        return InitProof::Proven;
    }
    return InitProof::None;
}

// What a handshake message that was not let through becomes; nullopt: go on.
std::optional<OpenResult> SecureCodec::refused(HandshakeAdmission::Verdict verdict, const Packet& pkt, Index sender,
                                               uint64_t now) {
    using V = HandshakeAdmission::Verdict;
    switch (verdict) {
        case V::Go: return std::nullopt;
        case V::SendCookie: send_cookie(pkt.addr, sender, now); return OpenResult::consumed();
        case V::Replayed: return OpenResult::drop(DropReason::Replay);
        case V::GuessLimited:
            if (guess_log_.allow(now))
                log_.warning(config_.label + ": too many handshakes failed or went unconfirmed (someone guessing the "
                             "password?): checking at most one per " + std::to_string(kGuessInterval / kSecond) + " s");
            break;
        case V::Limited: break;
    }
    ++counts_.rate_limited;
    return OpenResult::drop(DropReason::RateLimited);
}

void SecureCodec::send_cookie(const sockaddr_storage& to, Index receiver, uint64_t now) {
    Cookie cookie;
    if (!control_ || !admission_.cookie_for(to, now, cookie)) return;
    control_->send_to_peer(make_cookie_reply(receiver, cookie));
    ++counts_.cookies_sent;
}

OpenResult SecureCodec::open_response(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_response(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    if (!handshake_.initiating() || v->receiver_index != handshake_.initiating_index())
        return OpenResult::drop(DropReason::NoSession);  // not an answer to our pending init
    // Only someone who saw our init can get here. A response whose
    // confirmation fails is a failed guess: it keeps its guess token.
    if (auto r = refused(admission_.response(now), pkt, v->sender_index, now)) return *r;
    Handshake::Failure f{DropReason::Auth};
    auto done = handshake_.complete(*v, view(pkt), now, f);
    if (!done) {
        if (f.wrong_password) auth_failure("the peer's handshake response", now);
        else admission_.give_back();
        return OpenResult::drop(f.reason);
    }
    admission_.give_back();
    last_confirm_ = done->confirm;
    if (control_) control_->send_to_peer(last_confirm_);
    timers_.confirm_sent(now);
    // Keep sending on a working session until the peer shows it has the new one.
    if (usable(current_.get(), now) && current_->acknowledged) {
        retire(std::move(next_));
        next_ = std::move(done->session);
        session_ready(now);
        ++counts_.established;
        if (event_log_.allow(now)) log_.info(config_.label + ": handshake complete (rekey, we initiated)");
    } else {
        install(std::move(done->session), now);
    }
    return OpenResult::authentic_consumed();
}

OpenResult SecureCodec::open_confirm(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_confirm(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    Handshake::Failure f{DropReason::NoSession};
    bool proven = false;
    if (auto s = handshake_.confirm(*v, proven, f)) {
        if (!proven) admission_.give_back();  // the real peer: not a guess
        install(std::move(s), now);
        send_keepalive(*current_, now);  // tells the initiator we have the session
        return OpenResult::authentic_consumed();
    }
    if (f.wrong_password) {
        auth_failure("the peer's key confirmation", now);
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

// The peer answers our init with a cookie: it is under load. Repeat the
// init (once per run) with the cookie's MAC; later inits carry it too.
OpenResult SecureCodec::open_cookie_reply(const Packet& pkt, uint64_t now) {
    DropReason why = DropReason::Malformed;
    auto v = parse_cookie_reply(view(pkt), why);
    if (!v) return OpenResult::drop(why);
    if (!handshake_.initiating() || v->receiver_index != handshake_.initiating_index())
        return OpenResult::drop(DropReason::NoSession);
    peer_cookie_.set(v->cookie, now);
    if (auto init = handshake_.init_for_cookie_retry()) {
        peer_cookie_.stamp(*init, now);
        if (control_) control_->send_to_peer(*init);
    }
    return OpenResult::consumed();
}

// ---- Sessions and timers ----

void SecureCodec::install(std::unique_ptr<Session> s, uint64_t now) {
    const bool first = counts_.established == 0;
    const bool we_initiated = s->we_initiated;
    retire(std::move(current_));
    current_ = std::move(s);
    session_ready(now);
    ++counts_.established;
    if (event_log_.allow(now))
        log_.info(config_.label + ": handshake complete, " + (first ? "session established" : "new session") +
                  (we_initiated ? " (we initiated)" : " (peer initiated)"));
    flush_held(now);
}

// A handshake completed: the peer is there (again).
void SecureCodec::session_ready(uint64_t now) {
    const bool was_lost = timers_.peer_lost();
    timers_.session_ready(now);
    if (was_lost && event_log_.allow(now)) log_.info(config_.label + ": peer is responding again");
}

void SecureCodec::promote_next(uint64_t now) {
    next_->acknowledged = true;
    timers_.confirm_acknowledged();
    retire(std::move(current_));
    current_ = std::move(next_);
    flush_held(now);
}

void SecureCodec::initiate(uint64_t now) {
    Session* proof = usable(current_.get(), now) ? current_.get() : nullptr;
    auto init = handshake_.initiate(new_index(), proof);
    timers_.handshake_initiated(now);
    if (!init) {
        if (event_log_.allow(now)) log_.error(config_.label + ": cannot create a handshake message (OpenSSL)");
        return;
    }
    peer_cookie_.stamp(*init, now);
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
    return f;
}

void SecureCodec::tick(uint64_t now) {
    expire(now);
    note_unconfirmed(now);
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
    if (a.peer_lost)
        log_.warning(config_.label + ": peer not responding: no authenticated packet for " +
                     std::to_string((now - timers_.last_received_ns()) / kSecond) + " s");
}

// Answers never confirmed: lost messages, a peer with another password, or
// someone guessing ours. Counted and logged, as wrong confirmations are.
void SecureCodec::note_unconfirmed(uint64_t now) {
    const uint64_t n = handshake_.take_unconfirmed();
    if (n == 0) return;
    counts_.unconfirmed += n;
    if (auth_log_.allow(now))
        log_.warning(config_.label + ": " + std::to_string(counts_.unconfirmed) +
                     " handshake(s) we answered were never confirmed (lost, a wrong password, or someone guessing it)");
}

OpenResult SecureCodec::other_name(uint64_t now) {
    if (auth_log_.allow(now))
        log_.warning(config_.label + ": a handshake for a tunnel of another name (ours: '" + config_.name +
                     "'): both ends must give the same -name");
    return OpenResult::drop(DropReason::WrongName);
}

void SecureCodec::auth_failure(const char* what, uint64_t now) {
    ++counts_.auth_failed;
    if (auth_log_.allow(now))
        log_.warning(config_.label + ": authentication failed: " + what + " did not verify (wrong password?)");
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
                  " cookies=%" PRIu64 "\n",
                  seconds_ago(timers_.last_handshake_ns(), now).c_str(), counts_.initiated, counts_.answered,
                  counts_.established, counts_.established ? counts_.established - 1 : 0, counts_.auth_failed,
                  counts_.unconfirmed, counts_.rate_limited, counts_.cookies_sent);
    out += line;
    const char* peer = timers_.last_received_ns() == 0 ? "never heard from"
                       : timers_.peer_lost()          ? "NOT RESPONDING"
                                                      : "responding";
    std::snprintf(line, sizeof line, "  peer: %s (last authenticated packet %s); held frames %zu, dropped %" PRIu64 "\n",
                  peer, seconds_ago(timers_.last_received_ns(), now).c_str(), held_count_, counts_.held_dropped);
    out += line;
    return out;
}

}  // namespace tvpn
