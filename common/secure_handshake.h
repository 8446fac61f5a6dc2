// The -pwd handshake: one SPAKE2 (RFC 9382) run per handshake, the initiator
// as party A (point M) and the responder as party B (point N), with explicit
// key confirmation both ways. Holds one pending run as initiator and a few as
// responder: fixed state, whatever arrives. No I/O, no clock: messages in, messages and
// sessions out (docs/PROTOCOL.md, "Handshake").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "common/crypto/spake2.h"
#include "common/secure_session.h"
#include "common/secure_wire.h"

namespace tvpn {

class Handshake {
public:
    // `name_tag`: the tunnel's name (-name), carried in our Inits, required in
    // the peer's, and bound into the key confirmation.
    Handshake(const crypto::Spake2Curve& curve, const crypto::Spake2Password& password, wire::Instance ours,
              const wire::NameTag& name_tag);

    const wire::Instance& instance() const { return ours_; }
    const wire::NameTag& name_tag() const { return name_tag_; }

    // Initiator: a HandshakeInit with fresh ephemerals, replacing any pending
    // run. `proof`: the current session, whose rekey key MACs the Init with
    // the next rekey_seq (nullptr: none).
    std::optional<std::array<uint8_t, wire::kInitSize>> initiate(wire::Index local, Session* proof);
    bool initiating() const { return initiator_ != nullptr; }
    wire::Index initiating_index() const { return initiator_ ? initiator_->local : 0; }
    // The pending Init once more, for a retry with a cookie: only once per run.
    std::optional<std::array<uint8_t, wire::kInitSize>> init_for_cookie_retry();

    // Failure of a step: the drop reason, and whether it is a key confirmation
    // that did not verify (the peer does not have our password).
    struct Failure {
        DropReason reason;
        bool wrong_password = false;
    };

    // Initiator: the peer's response to our pending run. On success, the new
    // session and the HandshakeConfirm to send.
    struct Initiated {
        std::unique_ptr<Session> session;
        std::array<uint8_t, wire::kConfirmMsgSize> confirm;
    };
    std::optional<Initiated> complete(const wire::ResponseView& msg, std::span<const uint8_t> raw, uint64_t now,
                                      Failure& why);

    // Responder: answers a HandshakeInit. `proven`: its session MAC verified
    // (the peer rekeying). A proven run may take the place of any pending
    // one; an unproven run only that of another unproven one, so forged Inits
    // never push out a rekey (RateLimited when every slot holds a proven run).
    std::optional<std::array<uint8_t, wire::kResponseSize>> answer(const wire::InitView& msg, wire::Index local,
                                                                   bool proven, uint64_t now, Failure& why);
    bool answering(wire::Index local) const;
    // Responder: the initiator's confirmation; on success the session, now
    // confirmed, and whether its Init was proven.
    std::unique_ptr<Session> confirm(const wire::ConfirmView& msg, bool& proven, Failure& why);
    // Drops pending runs older than `max_age`.
    void expire(uint64_t now, uint64_t max_age);
    // Unproven answers that were dropped or pushed out without a confirmation
    // since the last call: each may have been a password guess.
    uint64_t take_unconfirmed();

private:
    struct Initiator {
        wire::Index local = 0;
        std::unique_ptr<crypto::Spake2> spake;
        std::array<uint8_t, wire::kInitSize> init{};
        bool cookie_retried = false;
    };
    struct Responder {
        std::unique_ptr<Session> session;
        std::array<uint8_t, wire::kConfirmSize> expect{};
        uint64_t created_ns = 0;
        bool proven = false;
    };
    std::unique_ptr<Responder>* slot_for(bool proven);
    void drop_responder(std::unique_ptr<Responder>& slot);

    const crypto::Spake2Curve& curve_;
    const crypto::Spake2Password& password_;
    wire::Instance ours_;
    wire::NameTag name_tag_;
    std::unique_ptr<Initiator> initiator_;
    // A few answers may be pending, so that replayed inits cannot push out
    // the real peer's run between our response and its confirmation.
    static constexpr size_t kResponderSlots = 4;
    std::array<std::unique_ptr<Responder>, kResponderSlots> responders_;
    uint64_t unconfirmed_ = 0;
};

// SPAKE2's AAD in TVPN: "TVPN v1" || initiator index || responder index (little-endian).
std::array<uint8_t, 15 + wire::kNameTagSize> handshake_aad(wire::Index initiator, wire::Index responder,
                                                          const wire::NameTag& name_tag);

}  // namespace tvpn
