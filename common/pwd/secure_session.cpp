#include "common/pwd/secure_session.h"

#include <string_view>
#include <vector>

#include "common/crypto/hkdf.h"

namespace tvpn {
namespace {

constexpr std::string_view kLabelI2R = "TVPN v1 initiator to responder";
constexpr std::string_view kLabelR2I = "TVPN v1 responder to initiator";
constexpr std::string_view kLabelRekey = "TVPN v1 rekey mac";

std::span<const uint8_t> label(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace

std::unique_ptr<Session> derive_session(const crypto::Secret& ke, std::span<const uint8_t> init_transcript,
                                        std::span<const uint8_t> response_transcript, bool we_initiated,
                                        wire::Index local, wire::Index remote, uint64_t now) {
    std::vector<uint8_t> transcript(init_transcript.begin(), init_transcript.end());
    transcript.insert(transcript.end(), response_transcript.begin(), response_transcript.end());
    uint8_t salt[crypto::kSha256Size];
    crypto::Secret prk(crypto::kSha256Size), i2r(crypto::kAeadKeySize), r2i(crypto::kAeadKeySize);
    auto s = std::make_unique<Session>();
    s->rekey_mac_key = crypto::Secret(crypto::kSha256Size);
    std::span<const uint8_t, crypto::kSha256Size> prk_view(prk.data(), crypto::kSha256Size);
    if (!crypto::sha256(transcript, salt) ||
        !crypto::hkdf_sha256_extract(salt, ke.span(), std::span<uint8_t, crypto::kSha256Size>(prk.data(), 32)) ||
        !crypto::hkdf_sha256_expand(prk_view, label(kLabelI2R), i2r.span()) ||
        !crypto::hkdf_sha256_expand(prk_view, label(kLabelR2I), r2i.span()) ||
        !crypto::hkdf_sha256_expand(prk_view, label(kLabelRekey), s->rekey_mac_key.span()))
        return nullptr;
    std::span<const uint8_t, crypto::kAeadKeySize> k_i2r(i2r.data(), crypto::kAeadKeySize);
    std::span<const uint8_t, crypto::kAeadKeySize> k_r2i(r2i.data(), crypto::kAeadKeySize);
    s->send = crypto::AeadKey::create(wire::kAead, we_initiated ? k_i2r : k_r2i);
    s->recv = crypto::AeadKey::create(wire::kAead, we_initiated ? k_r2i : k_i2r);
    if (!s->send || !s->recv) return nullptr;
    s->local_index = local;
    s->remote_index = remote;
    s->we_initiated = we_initiated;
    s->acknowledged = !we_initiated;  // the responder installs it only after the peer's confirmation
    s->created_ns = now;
    return s;
}

bool session_init_mac(const crypto::Secret& key, std::span<const uint8_t> mac_input,
                      std::span<uint8_t, wire::kSessionMacSize> out) {
    uint8_t mac[crypto::kSha256Size];
    if (key.size() != crypto::kSha256Size || !crypto::hmac_sha256(key.span(), mac_input, mac)) return false;
    std::copy(mac, mac + wire::kSessionMacSize, out.begin());
    crypto::wipe(mac, sizeof mac);
    return true;
}

bool session_response_mac(const crypto::Secret& key, std::span<const uint8_t, wire::kResponseMacOffset> response,
                          std::span<const uint8_t, wire::kInitMacOffset> init,
                          std::span<uint8_t, wire::kSessionMacSize> out) {
    uint8_t input[wire::kResponseMacOffset + wire::kInitMacOffset];
    std::copy(response.begin(), response.end(), input);
    std::copy(init.begin(), init.end(), input + response.size());
    return session_init_mac(key, input, out);
}

}  // namespace tvpn
