// The -pwd handshake: one SPAKE2 (RFC 9382) run per handshake, the initiator
// as party A (point M) and the responder as party B (point N), with explicit
// key confirmation both ways. Holds one pending run as initiator and a few as
// responder: fixed state, whatever arrives. No I/O, no clock: messages in, messages and
// sessions out (docs/PROTOCOL.md, "Handshake").
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "common/crypto/spake2.h"
#include "common/pwd/handshake_cookie.h"
#include "common/pwd/secure_session.h"
#include "common/pwd/secure_wire.h"

namespace tvpn {

class Handshake {
public:
    using InitMsg = std::array<uint8_t, wire::kInitSize>;

    // `name_tag`: the tunnel's name (-name), carried in our Inits, required in
    // the peer's, and bound into the key confirmation.
    Handshake(const crypto::Spake2Curve& curve, const crypto::Spake2Password& password, wire::Instance ours,
              const wire::NameTag& name_tag);

    const wire::Instance& instance() const { return ours_; }
    const wire::NameTag& name_tag() const { return name_tag_; }

    // Initiator: a HandshakeInit with fresh ephemerals, replacing any pending
    // run. `proof`: the current session, whose rekey key MACs the Init with
    // the next rekey_seq (nullptr: none); the Response must then carry a MAC
    // under the same key to count as proven. `cookie`: stamped on the Init
    // (nullptr: none).
    std::optional<InitMsg> initiate(wire::Index local, Session* proof, const ReceivedCookie::Entry* cookie);
    bool initiating() const { return initiator_ != nullptr; }
    // Whether `index` is the sender index of an Init of the pending run.
    bool initiating_index(wire::Index index) const;
    // The pending run's Init proves a session (a rekey).
    bool initiating_proven() const { return initiator_ && !initiator_->proof_key.empty(); }
    // Both ends started a rekey at once (their Inits crossed): the end with
    // the lower instance gives its run up and only answers the other's, so
    // that one end stays the initiator (else both would be, and rekey at once
    // for ever). True if ours was given up.
    bool yield_crossing_rekey(std::span<const uint8_t, wire::kInstanceSize> theirs);
    // Ours is the lower instance: we give way (crossing rekeys, which responder rekeys first).
    bool yields_to(std::span<const uint8_t, wire::kInstanceSize> theirs) const;
    // Whether a CookieReply names an Init of the pending run (its index and digest).
    bool cookie_reply_matches(const wire::CookieReplyView& v) const;
    // The pending Init again, for a retry with a cookie: a new sender index,
    // the same share. Only once per run, and never for a proven run.
    std::optional<InitMsg> init_for_cookie_retry(wire::Index local, const ReceivedCookie::Entry& cookie);

    // Failure of a step: the drop reason, and whether it is a key confirmation
    // that did not verify (the peer does not have our password).
    struct Failure {
        DropReason reason;
        bool wrong_password = false;
    };

    // Initiator: how a Response to the pending run stands with its session
    // MAC (cheap, no curve work). Proven: it verifies under the key of the
    // session that proved our Init. Forged: a MAC that does not.
    enum class ResponseProof { None, Proven, Forged };
    ResponseProof response_proof(const wire::ResponseView& msg) const;
    // Initiator: the peer's response to our pending run. On success, the new
    // session, the HandshakeConfirm to send, and the cookie on the Init it
    // answered. A failure leaves the run pending, for the real Response.
    struct Initiated {
        std::unique_ptr<Session> session;
        std::array<uint8_t, wire::kConfirmMsgSize> confirm;
        std::optional<ReceivedCookie::Entry> cookie;
    };
    std::optional<Initiated> complete(const wire::ResponseView& msg, std::span<const uint8_t> raw, uint64_t now,
                                      Failure& why);

    // Responder: answers a HandshakeInit from `from`. `proof_key`: the rekey
    // key of the session its MAC verified under (the peer rekeying; nullptr:
    // unproven), which then MACs the Response. A proven run may take the place
    // of any pending one; an unproven run only that of another unproven one,
    // so forged Inits never push out a rekey (RateLimited when every slot
    // holds a proven run).
    std::optional<std::array<uint8_t, wire::kResponseSize>> answer(const wire::InitView& msg, wire::Index local,
                                                                   const crypto::Secret* proof_key,
                                                                   const sockaddr_storage& from, uint64_t now,
                                                                   Failure& why);
    bool answering(wire::Index local) const;
    // Responder: the initiator's confirmation; on success the session, now
    // confirmed, and whether its Init was proven.
    std::unique_ptr<Session> confirm(const wire::ConfirmView& msg, bool& proven, Failure& why);
    // Drops pending runs older than `max_age`.
    void expire(uint64_t now, uint64_t max_age);
    // One unproven answer that was dropped or pushed out without a
    // confirmation (a failed guess, or a lost message): the address of the
    // Init it answered. nullopt when there are no more. The codec takes them
    // after every answer() and expire(), which add at most kPendingAnswers.
    std::optional<sockaddr_storage> take_unconfirmed();

private:
    struct Variant {  // an Init of the pending run: the first, or its retry with a cookie
        wire::Index local = 0;
        InitMsg init{};
        std::array<uint8_t, wire::kInitDigestSize> digest{};
        std::optional<ReceivedCookie::Entry> cookie;
    };
    struct Initiator {
        std::unique_ptr<crypto::Spake2> spake;
        Variant first, retry;  // retry.local == 0: no retry
        bool retried = false;
        crypto::Secret proof_key;  // copy of the rekey key that MACed the Init (empty: unproven)
    };
    struct Responder {
        std::unique_ptr<Session> session;
        std::array<uint8_t, wire::kConfirmSize> expect{};
        uint64_t created_ns = 0;
        bool proven = false;
        sockaddr_storage from{};
    };
    static bool finish_variant(Variant& v, const ReceivedCookie::Entry* cookie);
    const Variant* variant(wire::Index local) const;
    std::unique_ptr<Responder>* slot_for(bool proven);
    void drop_responder(std::unique_ptr<Responder>& slot);

    const crypto::Spake2Curve& curve_;
    const crypto::Spake2Password& password_;
    wire::Instance ours_;
    wire::NameTag name_tag_;
    std::unique_ptr<Initiator> initiator_;
    // A few answers may be pending, so that replayed inits cannot push out
    // the real peer's run between our response and its confirmation.
    std::array<std::unique_ptr<Responder>, wire::kPendingAnswers> responders_;
    std::array<sockaddr_storage, wire::kPendingAnswers + 1> unconfirmed_{};
    size_t unconfirmed_count_ = 0;
};

// SPAKE2's AAD in TVPN: "TVPN v1" || initiator index || responder index (little-endian).
std::array<uint8_t, 15 + wire::kNameTagSize> handshake_aad(wire::Index initiator, wire::Index responder,
                                                          const wire::NameTag& name_tag);

}  // namespace tvpn
