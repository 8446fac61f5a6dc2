#include "common/pwd/secure_handshake.h"

#include <algorithm>
#include <cstring>

#include "common/crypto/hkdf.h"

namespace tvpn {
namespace {

// The parts of each message that the key schedule hashes: all but the MAC
// and the confirmation (those depend on keys derived from the transcript).
constexpr size_t kInitTranscript = wire::kInitMacOffset;
constexpr size_t kResponseTranscript = wire::kResponseMacOffset - wire::kConfirmSize;

}  // namespace

// Both ends put their own name's tag here: with another name (or a tag
// rewritten on the path) the confirmations cannot verify.
std::array<uint8_t, 15 + wire::kNameTagSize> handshake_aad(wire::Index initiator, wire::Index responder,
                                                          const wire::NameTag& name_tag) {
    std::array<uint8_t, 15 + wire::kNameTagSize> aad{'T', 'V', 'P', 'N', ' ', 'v', '1'};
    wire::store_le32(aad.data() + 7, initiator);
    wire::store_le32(aad.data() + 11, responder);
    std::memcpy(aad.data() + 15, name_tag.data(), name_tag.size());
    return aad;
}

Handshake::Handshake(const crypto::Spake2Curve& curve, const crypto::Spake2Password& password, wire::Instance ours,
                     const wire::NameTag& name_tag)
    : curve_(curve), password_(password), ours_(ours), name_tag_(name_tag) {}

// Stamps the cookie (if any) and takes the digest a CookieReply must name.
bool Handshake::finish_variant(Variant& v, const ReceivedCookie::Entry* cookie) {
    if (cookie && stamp_init(v.init, cookie->cookie)) v.cookie = *cookie;
    return init_digest(v.init, v.digest);
}

std::optional<Handshake::InitMsg> Handshake::initiate(wire::Index local, Session* proof,
                                                      const ReceivedCookie::Entry* cookie) {
    auto run = std::make_unique<Initiator>();
    run->spake = crypto::Spake2::start(curve_, crypto::Spake2Role::A, password_);
    if (!run->spake) return std::nullopt;
    run->first.local = local;
    run->first.init = wire::make_init(local, ours_, run->spake->share(), name_tag_);
    if (proof) {
        auto& init = run->first.init;
        wire::store_le64(init.data() + wire::kInitSeqOffset, ++proof->rekey_seq_sent);
        auto mac = std::span(init).subspan<wire::kInitMacOffset, wire::kSessionMacSize>();
        if (!session_init_mac(proof->rekey_mac_key, std::span(init).first<wire::kInitMacOffset>(), mac))
            return std::nullopt;
        run->proof_key = crypto::Secret(proof->rekey_mac_key.span());
    }
    if (!finish_variant(run->first, cookie)) return std::nullopt;
    initiator_ = std::move(run);
    return initiator_->first.init;
}

const Handshake::Variant* Handshake::variant(wire::Index local) const {
    if (!initiator_ || local == 0) return nullptr;
    if (initiator_->first.local == local) return &initiator_->first;
    return initiator_->retry.local == local ? &initiator_->retry : nullptr;
}

bool Handshake::initiating_index(wire::Index index) const { return variant(index) != nullptr; }

bool Handshake::yields_to(std::span<const uint8_t, wire::kInstanceSize> theirs) const {
    return std::memcmp(ours_.data(), theirs.data(), ours_.size()) < 0;
}

bool Handshake::yield_crossing_rekey(std::span<const uint8_t, wire::kInstanceSize> theirs) {
    if (!initiating_proven() || !yields_to(theirs)) return false;
    initiator_.reset();
    return true;
}

bool Handshake::cookie_reply_matches(const wire::CookieReplyView& v) const {
    const Variant* sent = variant(v.receiver_index);
    return sent && crypto::equal_ct(sent->digest, v.init_digest);
}

std::optional<Handshake::InitMsg> Handshake::init_for_cookie_retry(wire::Index local,
                                                                   const ReceivedCookie::Entry& cookie) {
    if (!initiator_ || initiating_proven() || initiator_->retried) return std::nullopt;
    initiator_->retried = true;
    Variant v;
    v.local = local;
    v.init = wire::make_init(local, ours_, initiator_->spake->share(), name_tag_);
    if (!finish_variant(v, &cookie) || !v.cookie) return std::nullopt;
    initiator_->retry = v;
    return v.init;
}

Handshake::ResponseProof Handshake::response_proof(const wire::ResponseView& msg) const {
    if (wire::all_zero(msg.session_mac)) return ResponseProof::None;
    const Variant* v = variant(msg.receiver_index);
    if (!v || initiator_->proof_key.empty()) return ResponseProof::Forged;  // we proved nothing to MAC under
    uint8_t mac[wire::kSessionMacSize];
    if (!session_response_mac(initiator_->proof_key, msg.mac_input, std::span(v->init).first<wire::kInitMacOffset>(),
                              mac))
        return ResponseProof::Forged;
    return crypto::equal_ct(mac, msg.session_mac) ? ResponseProof::Proven : ResponseProof::Forged;
}

std::optional<Handshake::Initiated> Handshake::complete(const wire::ResponseView& msg, std::span<const uint8_t> raw,
                                                        uint64_t now, Failure& why) {
    const Variant* v = variant(msg.receiver_index);
    if (!v) {
        why = {DropReason::NoSession};
        return std::nullopt;
    }
    const auto aad = handshake_aad(v->local, msg.sender_index, name_tag_);
    // Identities: A is the initiator's instance, B the responder's.
    auto keys = initiator_->spake->finish(msg.share, ours_, msg.instance, aad);
    if (!keys) {
        why = {DropReason::Auth};
        return std::nullopt;
    }
    if (!crypto::equal_ct(keys->conf_theirs, msg.confirm)) {
        why = {DropReason::Auth, true};
        return std::nullopt;
    }
    auto session = derive_session(keys->ke, std::span(v->init).first<kInitTranscript>(),
                                  raw.first(kResponseTranscript), true, v->local, msg.sender_index, now);
    if (!session) {
        why = {DropReason::Auth};
        return std::nullopt;
    }
    std::copy(msg.instance.begin(), msg.instance.end(), session->peer_instance.begin());
    Initiated done{std::move(session), wire::make_confirm(msg.sender_index, keys->conf_ours), v->cookie};
    initiator_.reset();  // one response completes a run; a replayed one finds nothing
    return done;
}

std::optional<std::array<uint8_t, wire::kResponseSize>> Handshake::answer(const wire::InitView& msg,
                                                                          wire::Index local,
                                                                          const crypto::Secret* proof_key,
                                                                          const sockaddr_storage& from, uint64_t now,
                                                                          Failure& why) {
    const bool proven = proof_key != nullptr;
    auto* slot = slot_for(proven);
    if (!slot) {
        why = {DropReason::RateLimited};
        return std::nullopt;
    }
    why = {DropReason::Auth};
    auto spake = crypto::Spake2::start(curve_, crypto::Spake2Role::B, password_);
    const auto aad = handshake_aad(msg.sender_index, local, name_tag_);
    std::optional<crypto::Spake2Keys> keys;
    if (spake) keys = spake->finish(msg.share, msg.instance, ours_, aad);
    if (!keys) return std::nullopt;
    auto response = wire::make_response(local, msg.sender_index, ours_, spake->share(), keys->conf_ours);
    auto mac = std::span(response).subspan<wire::kResponseMacOffset, wire::kSessionMacSize>();
    if (proven && !session_response_mac(*proof_key, std::span(response).first<wire::kResponseMacOffset>(),
                                        msg.mac_input, mac))
        return std::nullopt;
    auto run = std::make_unique<Responder>();
    run->session = derive_session(keys->ke, msg.mac_input, std::span(response).first<kResponseTranscript>(), false,
                                  local, msg.sender_index, now);
    if (!run->session) return std::nullopt;
    std::copy(msg.instance.begin(), msg.instance.end(), run->session->peer_instance.begin());
    run->expect = keys->conf_theirs;
    run->created_ns = now;
    run->proven = proven;
    run->from = from;
    drop_responder(*slot);
    *slot = std::move(run);
    return response;
}

// A free slot, else the oldest unproven run, else (for a proven run only) the oldest.
std::unique_ptr<Handshake::Responder>* Handshake::slot_for(bool proven) {
    std::unique_ptr<Responder>*oldest_unproven = nullptr, *oldest = nullptr;
    for (auto& r : responders_) {
        if (!r) return &r;
        if (!r->proven && (!oldest_unproven || r->created_ns < (*oldest_unproven)->created_ns)) oldest_unproven = &r;
        if (!oldest || r->created_ns < (*oldest)->created_ns) oldest = &r;
    }
    if (oldest_unproven) return oldest_unproven;
    return proven ? oldest : nullptr;
}

void Handshake::drop_responder(std::unique_ptr<Responder>& slot) {
    if (slot && !slot->proven && unconfirmed_count_ < unconfirmed_.size())
        unconfirmed_[unconfirmed_count_++] = slot->from;
    slot.reset();
}

std::optional<sockaddr_storage> Handshake::take_unconfirmed() {
    if (unconfirmed_count_ == 0) return std::nullopt;
    const sockaddr_storage first = unconfirmed_[0];
    for (size_t i = 1; i < unconfirmed_count_; ++i) unconfirmed_[i - 1] = unconfirmed_[i];
    --unconfirmed_count_;
    return first;
}

bool Handshake::answering(wire::Index local) const {
    for (const auto& r : responders_)
        if (r && r->session->local_index == local) return true;
    return false;
}

std::unique_ptr<Session> Handshake::confirm(const wire::ConfirmView& msg, bool& proven, Failure& why) {
    for (auto& r : responders_) {
        if (!r || r->session->local_index != msg.receiver_index) continue;
        if (!crypto::equal_ct(r->expect, msg.confirm)) {
            why = {DropReason::Auth, true};
            return nullptr;
        }
        auto session = std::move(r->session);
        session->peer_confirm = r->expect;
        proven = r->proven;
        r.reset();
        return session;
    }
    why = {DropReason::NoSession};
    return nullptr;
}

void Handshake::expire(uint64_t now, uint64_t max_age) {
    for (auto& r : responders_)
        if (r && now - r->created_ns >= max_age) drop_responder(r);
}

}  // namespace tvpn
