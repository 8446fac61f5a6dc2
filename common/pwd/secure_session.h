// One -pwd session: the two directional AEAD keys from a completed handshake,
// the send counter and the receive replay window. Derived from SPAKE2's Ke and
// the handshake messages by HKDF (docs/PROTOCOL.md, "Key schedule").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "common/crypto/aead.h"
#include "common/crypto/replay_window.h"
#include "common/crypto/secret.h"
#include "common/pwd/secure_wire.h"

namespace tvpn {

struct Session {
    wire::Index local_index = 0;    // the index the peer puts in messages to us
    wire::Index remote_index = 0;   // the index we put in messages to the peer
    bool we_initiated = false;
    bool acknowledged = false;      // initiator: something arrived on it, so the peer has it too
    uint64_t created_ns = 0;
    uint64_t send_counter = 0;
    std::unique_ptr<crypto::AeadKey> send, recv;
    crypto::ReplayWindow replay{wire::kRejectAfterMessages};
    crypto::Secret rekey_mac_key;   // 32 bytes: authenticates our next HandshakeInit
    uint64_t rekey_seq_sent = 0;    // the rekey_seq of our last Init under this session
    uint64_t rekey_seq_seen = 0;    // the highest the peer used: a lower or equal one is a replay
    std::array<uint8_t, wire::kConfirmSize> peer_confirm{};  // responder: the confirmation it accepted
    wire::Instance peer_instance{};  // the peer's process (SPAKE2 identity)

    // Usable for sending and receiving at `now`.
    bool alive(uint64_t now, uint64_t reject_after) const {
        return now - created_ns < reject_after && send_counter < wire::kRejectAfterMessages;
    }
};

// The key schedule: PRK = HKDF-Extract(SHA-256(init[0..89) || response[0..85)), Ke);
// keys = HKDF-Expand(PRK, label, 32) for each direction and the rekey MAC.
// nullptr on an OpenSSL failure.
std::unique_ptr<Session> derive_session(const crypto::Secret& ke, std::span<const uint8_t> init_transcript,
                                        std::span<const uint8_t> response_transcript, bool we_initiated,
                                        wire::Index local, wire::Index remote, uint64_t now);

// HMAC-SHA256(rekey_mac_key, init[0..89)) cut to 16 bytes.
[[nodiscard]] bool session_init_mac(const crypto::Secret& key, std::span<const uint8_t> mac_input,
                                    std::span<uint8_t, wire::kSessionMacSize> out);
// The Response to a proven Init: HMAC-SHA256(the same key, response[0..117) ||
// init[0..89)) cut to 16 bytes, so only the holder of that session can make it.
[[nodiscard]] bool session_response_mac(const crypto::Secret& key,
                                        std::span<const uint8_t, wire::kResponseMacOffset> response,
                                        std::span<const uint8_t, wire::kInitMacOffset> init,
                                        std::span<uint8_t, wire::kSessionMacSize> out);

}  // namespace tvpn
