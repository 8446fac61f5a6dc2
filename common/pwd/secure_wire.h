// The -pwd wire format (protocol version 4, kVersion): message types, every field and
// length, and the protocol's limits and times, in one place (docs/PROTOCOL.md
// explains them). Every parser here is a pure function over the received
// bytes: it checks each length against what arrived and never reads past it,
// so a fuzzer can call it directly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/crypto/aead.h"
#include "common/crypto/spake2.h"
#include "common/datapath/tunnel_stats.h"

namespace tvpn::wire {

// 1: before the rekey sequence and cookies (a 97-byte Init); 2: before the
// Response's session MAC and the CookieReply's Init digest; 3: before
// fragments and path MTU probes (its first form had no name tag either).
// An end of another version is named in the log (handshake_log.h).
constexpr uint8_t kVersion = 4;

enum class MessageType : uint8_t {
    HandshakeInit = 1,      // initiator -> responder: SPAKE2 share pA
    HandshakeResponse = 2,  // responder -> initiator: share pB and the responder's confirmation
    HandshakeConfirm = 3,   // initiator -> responder: the initiator's confirmation
    Data = 4,               // a frame (or an empty keepalive) under the session key
    CookieReply = 5,        // responder -> initiator: prove you receive at your address, then retry
    // Sealed like Data, with the same header, counter and replay window:
    Fragment = 6,           // a piece of a frame too large for the path
    Probe = 7,              // padded to a size the path may or may not carry
    ProbeAck = 8,           // the peer received a probe of that size
};
// The messages sealed under a session key (header | receiver_index | counter | ciphertext | tag).
constexpr bool is_sealed(MessageType t) { return t == MessageType::Data || t >= MessageType::Fragment; }

// Every message starts with: type (1) | version (1) | reserved, zero (2).
constexpr size_t kHeaderSize = 4;
constexpr size_t kIndexSize = 4;        // session index, little-endian
constexpr size_t kInstanceSize = 8;     // random per process start: the SPAKE2 identity
constexpr size_t kCounterSize = 8;      // little-endian; also the AEAD nonce
constexpr size_t kConfirmSize = crypto::kSpake2ConfirmSize;  // 32
constexpr size_t kShareSize = crypto::kSpake2ShareSize;      // 65
constexpr size_t kRekeySeqSize = 8;     // little-endian; grows with every rekey Init under one session
constexpr size_t kSessionMacSize = 16;  // proof that the initiator holds the current session (rekeys)
constexpr size_t kCookieSize = 16;      // what a CookieReply carries
constexpr size_t kCookieMacSize = 16;   // proof that the initiator received our cookie
constexpr size_t kInitDigestSize = 16;  // names the exact Init a CookieReply answers

constexpr size_t kNameTagSize = 8;      // SHA-256("TVPN name " || the tunnel's name), first 8 bytes
using NameTag = std::array<uint8_t, kNameTagSize>;

// HandshakeInit: header | sender_index | instance | share | name_tag | rekey_seq | session_mac | cookie_mac
constexpr size_t kInitSize = kHeaderSize + kIndexSize + kInstanceSize + kShareSize + kNameTagSize + kRekeySeqSize +
                             kSessionMacSize + kCookieMacSize;  // 129
constexpr size_t kInitCookieOffset = kInitSize - kCookieMacSize;         // the cookie MAC covers bytes before it
constexpr size_t kInitMacOffset = kInitCookieOffset - kSessionMacSize;  // the session MAC covers bytes before it
constexpr size_t kInitSeqOffset = kInitMacOffset - kRekeySeqSize;
// HandshakeResponse: header | sender_index | receiver_index | instance | share | confirm | session_mac
// (session_mac: zero, or the proof that the responder holds the session that proved the Init)
constexpr size_t kResponseMacOffset = kHeaderSize + 2 * kIndexSize + kInstanceSize + kShareSize + kConfirmSize;  // 117
constexpr size_t kResponseSize = kResponseMacOffset + kSessionMacSize;  // 133
// HandshakeConfirm: header | receiver_index | confirm
constexpr size_t kConfirmMsgSize = kHeaderSize + kIndexSize + kConfirmSize;  // 40
// CookieReply: header | receiver_index | cookie | init_digest
constexpr size_t kCookieReplySize = kHeaderSize + kIndexSize + kCookieSize + kInitDigestSize;  // 40
// Data: header | receiver_index | counter | ciphertext | tag
constexpr size_t kDataHeaderSize = kHeaderSize + kIndexSize + kCounterSize;  // 16, the AEAD's associated data
constexpr size_t kDataOverhead = kDataHeaderSize + crypto::kAeadTagSize;     // 32
constexpr size_t kLargestHandshake = kResponseSize;
// Fragment plaintext: frame_id (4) | total_len (2) | offset (2) | piece.
constexpr size_t kFragmentHeaderSize = 8;
// Probe plaintext: size (2) | zero padding; ProbeAck plaintext: size (2).
// `size` is the probe's IP packet size on the underlay.
constexpr size_t kProbeSizeField = 2;

static_assert(kDataHeaderSize <= 64 && crypto::kAeadTagSize <= 64, "must fit the packet's head- and tailroom");
static_assert(kLargestHandshake < 200, "handshake messages stay small (the e2e relay relies on it)");

// The data AEAD, chosen by measurement (docs/PROTOCOL.md).
constexpr crypto::AeadAlg kAead = crypto::AeadAlg::Aes256Gcm;

// Limits and times (nanoseconds).
constexpr uint64_t kSecond = 1000000000ull;
constexpr uint64_t kRekeyAfterTime = 120 * kSecond;        // default; -rekey changes it
constexpr uint64_t kRekeyAfterMessages = uint64_t{1} << 36; // start a new handshake
constexpr uint64_t kRejectAfterMessages = uint64_t{1} << 37; // never send or accept a counter this high
constexpr uint64_t kRekeyTimeout = 5 * kSecond;             // a handshake (or its confirmation) not done by then is retried
constexpr uint64_t kRetryFirst = 1 * kSecond;               // first handshake retransmission, then doubling
constexpr uint64_t kRetryMax = 16 * kSecond;                // ... up to this, plus up to 25% jitter
constexpr uint64_t kConfirmRetry = 1 * kSecond;             // resend an unacknowledged confirmation
constexpr uint64_t kKeepalive = 10 * kSecond;               // send an empty data message after this much silence
constexpr uint64_t kPeerDeadAfter = 3 * kKeepalive + 5 * kSecond;  // nothing authenticated for this long: peer gone
constexpr uint64_t kRestartProbe = 15 * kSecond;            // sent data but heard nothing: try a new handshake
constexpr uint64_t kCookieSecretLife = 120 * kSecond;       // the responder's cookie secret changes this often
constexpr uint64_t kCookieUseFor = 90 * kSecond;            // an initiator uses a received cookie this long
// Pending answers to Inits, each until its confirmation or kRekeyTimeout.
constexpr size_t kPendingAnswers = 4;
// The guess budget (docs/PROTOCOL.md, "Guesses"): runs that prove no session
// (password guesses unless confirmed) get a burst, then one per interval; the
// interval doubles with every failed run, up to the cap, and is back to the
// first after a charged run that was confirmed. Proven rekeys never count.
constexpr uint64_t kGuessBurst = 5;
constexpr uint64_t kGuessInterval = 10 * kSecond;      // the first interval
constexpr uint64_t kGuessIntervalMax = 600 * kSecond;  // the cap
constexpr unsigned guess_backoff_steps() {  // failed runs until the interval is at the cap
    unsigned n = 0;
    for (uint64_t i = kGuessInterval; i < kGuessIntervalMax; i *= 2) ++n;
    return n;
}
constexpr unsigned kGuessBackoffSteps = guess_backoff_steps();  // 6: 10, 20, 40, 80, 160, 320, then 600 s
// At most this many guesses before the interval is at the cap (the burst, and
// per backoff step what can refill while runs are pending: see PROTOCOL.md).
constexpr uint64_t kGuessRamp = kGuessBurst + kGuessBackoffSteps * (kGuessBurst + kPendingAnswers + 1);
constexpr uint64_t kYear = 366 * 24 * 3600 * kSecond;
// The most password guesses one end allows in a year (it never restarts and
// the password is not found), and for both ends of a tunnel together: the
// number a password must survive (the weak-password check is sized from it).
constexpr uint64_t kMaxGuessesPerYearPerEnd = kGuessRamp + 1 + kYear / kGuessIntervalMax;
constexpr uint64_t kMaxGuessesPerYear = 2 * kMaxGuessesPerYearPerEnd;
static_assert(kMaxGuessesPerYear == 105540);
// Sessions are rejected this long after their handshake (at least the rekey
// time plus 15 s, at most 3/2 of it): the old one is kept while the new one starts.
constexpr uint64_t reject_after(uint64_t rekey_after) {
    const uint64_t floor = rekey_after + 15 * kSecond;
    const uint64_t scaled = rekey_after / 2 * 3;
    return scaled > floor ? scaled : floor;
}

using Index = uint32_t;
using Instance = std::array<uint8_t, kInstanceSize>;

struct InitView {
    Index sender_index;
    std::span<const uint8_t, kInstanceSize> instance;
    std::span<const uint8_t, kShareSize> share;
    std::span<const uint8_t, kNameTagSize> name_tag;
    uint64_t rekey_seq;
    std::span<const uint8_t, kSessionMacSize> session_mac;
    std::span<const uint8_t, kCookieMacSize> cookie_mac;
    std::span<const uint8_t, kInitMacOffset> mac_input;       // the bytes the session MAC covers
    std::span<const uint8_t, kInitCookieOffset> cookie_input;  // the bytes the cookie MAC covers
};
struct ResponseView {
    Index sender_index;
    Index receiver_index;
    std::span<const uint8_t, kInstanceSize> instance;
    std::span<const uint8_t, kShareSize> share;
    std::span<const uint8_t, kConfirmSize> confirm;
    std::span<const uint8_t, kSessionMacSize> session_mac;
    std::span<const uint8_t, kResponseMacOffset> mac_input;  // the Response bytes the session MAC covers
};
struct ConfirmView {
    Index receiver_index;
    std::span<const uint8_t, kConfirmSize> confirm;
};
struct CookieReplyView {
    Index receiver_index;
    std::span<const uint8_t, kCookieSize> cookie;
    std::span<const uint8_t, kInitDigestSize> init_digest;
};
struct DataView {
    MessageType type;  // Data, Fragment, Probe or ProbeAck
    Index receiver_index;
    uint64_t counter;
    size_t payload_size;  // ciphertext bytes between the header and the tag
};

// The message type, once the header is checked: nullopt and `why` set when
// the datagram is too short (Malformed), has another version or an unknown
// type (BadVersion), or non-zero reserved bytes (Malformed).
std::optional<MessageType> parse_header(std::span<const uint8_t> msg, DropReason& why);
// Each parser checks the header and the exact (or minimum) length.
std::optional<InitView> parse_init(std::span<const uint8_t> msg, DropReason& why);
std::optional<ResponseView> parse_response(std::span<const uint8_t> msg, DropReason& why);
std::optional<ConfirmView> parse_confirm(std::span<const uint8_t> msg, DropReason& why);
std::optional<CookieReplyView> parse_cookie_reply(std::span<const uint8_t> msg, DropReason& why);
// Any sealed message (is_sealed): the fields in front of the ciphertext.
std::optional<DataView> parse_sealed(std::span<const uint8_t> msg, DropReason& why);
// A Fragment's plaintext: the piece's place in its frame, and the piece.
struct FragmentView {
    uint32_t frame_id;
    uint16_t total_len;
    uint16_t offset;
    std::span<const uint8_t> piece;
};
std::optional<FragmentView> parse_fragment(std::span<const uint8_t> plaintext);
void write_fragment_header(std::span<uint8_t, kFragmentHeaderSize> out, uint32_t frame_id, uint16_t total_len,
                           uint16_t offset);
// A Probe's or ProbeAck's plaintext: the size it names.
std::optional<uint16_t> parse_probe_size(std::span<const uint8_t> plaintext);
void write_probe_size(std::span<uint8_t, kProbeSizeField> out, uint16_t size);

// Writers fill fixed-size buffers; the span arguments have fixed sizes.
void write_header(std::span<uint8_t, kHeaderSize> out, MessageType type);
// An Init with zero rekey_seq and MACs, a Response with a zero session MAC (the caller fills them in).
std::array<uint8_t, kInitSize> make_init(Index sender, const Instance& instance,
                                         std::span<const uint8_t, kShareSize> share, const NameTag& name_tag);
// The tag of a tunnel's name (-name), as Inits carry it.
NameTag name_tag_of(std::string_view name);
std::array<uint8_t, kResponseSize> make_response(Index sender, Index receiver, const Instance& instance,
                                                 std::span<const uint8_t, kShareSize> share,
                                                 std::span<const uint8_t, kConfirmSize> confirm);
std::array<uint8_t, kConfirmMsgSize> make_confirm(Index receiver, std::span<const uint8_t, kConfirmSize> confirm);
std::array<uint8_t, kCookieReplySize> make_cookie_reply(Index receiver, std::span<const uint8_t, kCookieSize> cookie,
                                                        std::span<const uint8_t, kInitDigestSize> init_digest);
void write_data_header(std::span<uint8_t, kDataHeaderSize> out, Index receiver, uint64_t counter,
                       MessageType type = MessageType::Data);

// Whether a MAC field is all zero: the sender left it out.
bool all_zero(std::span<const uint8_t> field);

// Little-endian helpers.
uint32_t load_le32(const uint8_t* p);
uint64_t load_le64(const uint8_t* p);
void store_le32(uint8_t* p, uint32_t v);
void store_le64(uint8_t* p, uint64_t v);

}  // namespace tvpn::wire
