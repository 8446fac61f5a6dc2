#include "common/secure_handshake.h"

#include <cstring>

#include "common/crypto/hkdf.h"

namespace tvpn {
namespace {

// The parts of each message that the key schedule hashes: all but the MAC
// and the confirmation (those depend on keys derived from the transcript).
constexpr size_t kInitTranscript = wire::kInitMacOffset;
constexpr size_t kResponseTranscript = wire::kResponseSize - wire::kConfirmSize;

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

std::optional<std::array<uint8_t, wire::kInitSize>> Handshake::initiate(wire::Index local, Session* proof) {
    auto run = std::make_unique<Initiator>();
    run->local = local;
    run->spake = crypto::Spake2::start(curve_, crypto::Spake2Role::A, password_);
    if (!run->spake) return std::nullopt;
    run->init = wire::make_init(local, ours_, run->spake->share(), name_tag_);
    if (proof) {
        wire::store_le64(run->init.data() + wire::kInitSeqOffset, ++proof->rekey_seq_sent);
        auto mac = std::span(run->init).subspan<wire::kInitMacOffset, wire::kSessionMacSize>();
        if (!session_init_mac(proof->rekey_mac_key, std::span(run->init).first<wire::kInitMacOffset>(), mac))
            return std::nullopt;
    }
    initiator_ = std::move(run);
    return initiator_->init;
}

std::optional<std::array<uint8_t, wire::kInitSize>> Handshake::init_for_cookie_retry() {
    if (!initiator_ || initiator_->cookie_retried) return std::nullopt;
    initiator_->cookie_retried = true;
    return initiator_->init;
}

std::optional<Handshake::Initiated> Handshake::complete(const wire::ResponseView& msg, std::span<const uint8_t> raw,
                                                        uint64_t now, Failure& why) {
    if (!initiator_ || msg.receiver_index != initiator_->local) {
        why = {DropReason::NoSession};
        return std::nullopt;
    }
    const auto aad = handshake_aad(initiator_->local, msg.sender_index, name_tag_);
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
    auto session = derive_session(keys->ke, std::span(initiator_->init).first<kInitTranscript>(),
                                  raw.first(kResponseTranscript), true, initiator_->local, msg.sender_index, now);
    if (!session) {
        why = {DropReason::Auth};
        return std::nullopt;
    }
    Initiated done{std::move(session), wire::make_confirm(msg.sender_index, keys->conf_ours)};
    initiator_.reset();  // one response completes a run; a replayed one finds nothing
    return done;
}

std::optional<std::array<uint8_t, wire::kResponseSize>> Handshake::answer(const wire::InitView& msg,
                                                                          wire::Index local, bool proven,
                                                                          uint64_t now, Failure& why) {
    auto* slot = slot_for(proven);
    if (!slot) {
        why = {DropReason::RateLimited};
        return std::nullopt;
    }
    auto spake = crypto::Spake2::start(curve_, crypto::Spake2Role::B, password_);
    const auto aad = handshake_aad(msg.sender_index, local, name_tag_);
    std::optional<crypto::Spake2Keys> keys;
    if (spake) keys = spake->finish(msg.share, msg.instance, ours_, aad);
    if (!keys) {
        why = {DropReason::Auth};
        return std::nullopt;
    }
    auto response = wire::make_response(local, msg.sender_index, ours_, spake->share(), keys->conf_ours);
    auto run = std::make_unique<Responder>();
    run->session = derive_session(keys->ke, msg.mac_input, std::span(response).first<kResponseTranscript>(), false,
                                  local, msg.sender_index, now);
    if (!run->session) {
        why = {DropReason::Auth};
        return std::nullopt;
    }
    run->expect = keys->conf_theirs;
    run->created_ns = now;
    run->proven = proven;
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
    if (slot && !slot->proven) ++unconfirmed_;
    slot.reset();
}

uint64_t Handshake::take_unconfirmed() {
    const uint64_t n = unconfirmed_;
    unconfirmed_ = 0;
    return n;
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
