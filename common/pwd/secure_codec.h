// The -pwd codec: a password-authenticated handshake (secure_handshake.h),
// then frames sealed with the session's AEAD key, replay-checked on the way
// in, rekeyed on a timer (secure_timers.h). docs/PROTOCOL.md describes the
// protocol; secure_wire.h holds its format.
#pragma once

#include <memory>
#include <string>

#include "common/crypto/spake2.h"
#include "common/codec/frame_codec.h"
#include "common/pwd/handshake_admission.h"
#include "common/pwd/handshake_cookie.h"
#include "common/pwd/handshake_log.h"
#include "common/log.h"
#include "common/pwd/fragment_reassembly.h"
#include "common/pwd/path_mtu.h"
#include "common/result.h"
#include "common/pwd/secure_handshake.h"
#include "common/pwd/secure_session.h"
#include "common/pwd/secure_timers.h"

namespace tvpn {

struct SecureCodecConfig {
    std::string label;                                // "tunnel vlan3 to 198.51.100.2:33000", for logs
    uint64_t rekey_after_ns = wire::kRekeyAfterTime;  // -rekey
    bool endpoint_unknown = false;                    // an `any` peer: its first Init may come from anywhere
    uint64_t keepalive_ns = 0;                        // -keepalive; 0: the protocol's default
    std::string name = {};                            // -name, alike at both ends (bound into the handshake)
};

class SecureCodec final : public FrameCodec {
public:
    // `password`: the scalar from crypto::spake2_password_from (derived once).
    static Result<std::unique_ptr<SecureCodec>> create(SecureCodecConfig config, crypto::Spake2Password password,
                                                       Logger& log);
    ~SecureCodec() override;

    const char* name() const override { return "pwd (SPAKE2-P256, AES-256-GCM)"; }
    SealResult seal(Packet& pkt, uint64_t now_ns) override;
    OpenResult open(Packet& pkt, uint64_t now_ns) override;
    void tick(uint64_t now_ns) override;
    std::string status(uint64_t now_ns) const override;
    CodecMetrics metrics(uint64_t now_ns) const override;  // secure_codec_send.cpp
    bool authenticates() const override { return true; }
    // Not lost, and not handshaking in vain without a session.
    bool peer_responding() const override { return !timers_.peer_lost() && (current_ || !timers_.handshake_pending()); }
    bool has_session() const override { return current_ != nullptr; }
    bool claims(std::span<const uint8_t> datagram) const override;  // secure_codec_claims.cpp
    // The path: fragments and probes (secure_codec_path.cpp).
    void set_path(size_t largest_frame, size_t ip_overhead) override;
    size_t max_whole_frame() const override;
    bool fragments_itself() const override { return true; }
    const PathMtu& path_mtu() const { return path_mtu_; }
    const ReassemblyStats& reassembly() const { return reassembly_.stats(); }
    uint64_t fragments_sent() const { return counts_.fragments_sent; }

    // For tests: whether a session is ready to carry frames, and how many handshakes completed.
    bool has_session(uint64_t now_ns) const { return usable(current_.get(), now_ns); }
    uint64_t sessions_established() const { return counts_.established; }
    uint64_t handshakes_initiated() const { return counts_.initiated; }
    uint64_t answers_unconfirmed() const { return counts_.unconfirmed; }
    uint64_t cookies_sent() const { return counts_.cookies_sent; }
    uint64_t crypto_failures() const { return counts_.crypto_failures; }
    uint64_t guess_interval() const { return admission_.guess_interval(); }
    // For tests: the next `n` seals under the current session fail, as an OpenSSL failure would.
    void fail_seals_for_test(unsigned n);

    // Frames held while no session exists, sent once one does.
    static constexpr size_t kHeldFrames = 8;

private:
    SecureCodec(SecureCodecConfig config, crypto::Spake2Password password, Logger& log,
                std::unique_ptr<crypto::Spake2Curve> curve, wire::Instance instance, uint64_t jitter_seed);

    OpenResult open_sealed(Packet& pkt, uint64_t now);
    OpenResult open_frame(Packet& pkt, std::span<const uint8_t> plaintext);
    OpenResult open_fragment(Packet& pkt, const Session& s, std::span<const uint8_t> plaintext, uint64_t now);
    OpenResult open_probe(Session& s, std::span<const uint8_t> plaintext, uint64_t now);
    OpenResult open_probe_ack(std::span<const uint8_t> plaintext, uint64_t now);
    OpenResult open_init(const Packet& pkt, uint64_t now);
    OpenResult open_response(const Packet& pkt, uint64_t now);
    OpenResult open_confirm(const Packet& pkt, uint64_t now);
    OpenResult open_cookie_reply(const Packet& pkt, uint64_t now);

    enum class InitProof { None, Proven, Replayed };
    InitProof init_proof(const wire::InitView& v, uint64_t now, Session*& prover);
    std::optional<OpenResult> refused(HandshakeAdmission::Verdict verdict, const Packet& pkt, uint64_t now);
    void send_cookie(const Packet& init, wire::Index receiver, uint64_t now);
    void completed(Handshake::Initiated done, uint64_t now);
    void note_unconfirmed(uint64_t now);
    void guess_failed(const sockaddr_storage& from, const char* what, uint64_t now);
    void note_foreign_version(const Packet& pkt, uint64_t now);

    bool usable(const Session* s, uint64_t now) const;
    Session* find(wire::Index index);
    bool owns_index(wire::Index index) const;
    wire::Index new_index();  // 0 when the random generator failed
    void initiate(uint64_t now);
    void install(std::unique_ptr<Session> s, uint64_t now);
    void promote_next(uint64_t now);
    void session_ready(uint64_t now);
    void retire(std::unique_ptr<Session> s);
    [[nodiscard]] bool seal_in_place(Session& s, Packet& pkt, uint64_t now);
    void send_keepalive(Session& s, uint64_t now);
    // Seals scratch_'s plaintext (len bytes after the header) as `type` and sends it.
    bool send_sealed(Session& s, wire::MessageType type, size_t len, uint64_t now);
    size_t max_datagram() const;
    bool send_fragments(Session& s, const Packet& pkt, uint64_t now);
    bool send_frame(Session& s, Packet& pkt, uint64_t now);  // held frames: whole or in fragments
    void probe_path(uint64_t now);
    std::string path_status() const;
    void hold(const Packet& pkt);
    void flush_held(uint64_t now);
    void expire(uint64_t now);
    void crypto_failure(const char* what, uint64_t now);
    OpenResult other_name(uint64_t now);
    SessionFacts facts(uint64_t now) const;

    SecureCodecConfig config_;
    uint64_t reject_after_;
    crypto::Spake2Password password_;
    Logger& log_;
    std::unique_ptr<crypto::Spake2Curve> curve_;
    Handshake handshake_;
    SecureTimers timers_;
    HandshakeAdmission admission_;  // rate limits, guess budget, our cookies
    ReceivedCookie peer_cookie_;     // the peer's cookie, for our inits
    RateLimit confirm_ack_limit_{wire::kSecond / 10, 1};  // re-acknowledging a repeated confirmation
    // current_ sends; next_ is ours, not yet acknowledged by the peer; the
    // previous ones still receive what was in flight until they expire.
    // Both ends may start a handshake at once, so a rekey can make two.
    static constexpr size_t kPreviousSessions = 3;
    std::unique_ptr<Session> current_, next_;
    std::array<std::unique_ptr<Session>, kPreviousSessions> previous_;
    std::array<uint8_t, wire::kConfirmMsgSize> last_confirm_{};  // resent until acknowledged
    PacketBatch held_{kHeldFrames};
    // The path to the peer: its MTU, found by probing, and the frames it
    // must carry in pieces.
    size_t ip_overhead_ = 28;
    PathMtu path_mtu_{kDefaultMtu + kEthHeaderMax + wire::kDataOverhead + 28};  // until set_path
    FragmentReassembly reassembly_;
    uint32_t next_frame_id_ = 0;
    std::unique_ptr<uint8_t[]> scratch_;  // a fragment or probe being sealed (kPacketCapacity bytes)
    size_t held_count_ = 0;
    RateLimit auth_log_{10 * wire::kSecond, 2};
    // Failed guesses are bounded by the guess budget, so this limit is only a
    // backstop: each line names its source (fail2ban counts the lines).
    RateLimit fail_log_{wire::kGuessInterval, 2 * wire::kGuessBurst};
    RateLimit guess_log_{60 * wire::kSecond, 2};
    RateLimit version_log_{60 * wire::kSecond, 1};
    RateLimit crypto_log_{10 * wire::kSecond, 2};
    struct Counts {
        uint64_t initiated = 0, answered = 0, established = 0, auth_failed = 0, rate_limited = 0;
        uint64_t unconfirmed = 0, cookies_sent = 0, held_dropped = 0, crypto_failures = 0;
        uint64_t frames_fragmented = 0, fragments_sent = 0;
    } counts_;
};

}  // namespace tvpn
