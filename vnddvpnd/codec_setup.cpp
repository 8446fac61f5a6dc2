#include "vnddvpnd/codec_setup.h"

#include "common/crypto/des_ecb.h"
#include "common/crypto/secret.h"
#include "common/crypto/spake2.h"
#include "common/codec/legacy_des_codec.h"
#include "common/pwd/secure_codec.h"

namespace tvpn {
namespace {

Result<std::unique_ptr<FrameCodec>> make_des(const TunnelOptions& t, const std::string& label, Logger& log) {
    uint8_t key[crypto::kDesKeySize];
    crypto::des_key_from_password(t.password.span(), key);
    auto des = crypto::DesEcb::create(key);
    crypto::wipe(key, sizeof key);
    if (!des) return Error{label + ": " + des.error().message};
    log.warning(label + ": -cipher des is INSECURE (56-bit DES in ECB mode, no integrity, no replay protection); "
                        "use it only to talk to an original TVPN host during a migration");
    return std::unique_ptr<FrameCodec>(new LegacyDesCodec(std::move(*des)));
}

}  // namespace

Result<std::unique_ptr<FrameCodec>> make_codec(const TunnelOptions& t, const PeerConfig& config,
                                               unsigned rekey_seconds, Logger& log) {
    const std::string label = log_name(config);
    if (!t.has_password) return std::unique_ptr<FrameCodec>(new ClearCodec());
    if (t.cipher == "des") return make_des(t, label, log);
    if (!t.cipher.empty()) return Error{label + ": unknown cipher '" + t.cipher + "'"};
    auto password = crypto::spake2_password_from(t.password.span());
    if (!password) return Error{label + ": cannot derive a key from the password (scrypt failed)"};
    SecureCodecConfig cfg{label, wire::kRekeyAfterTime, !config.remote, t.keepalive * wire::kSecond, config.name};
    if (rekey_seconds) cfg.rekey_after_ns = rekey_seconds * wire::kSecond;
    auto codec = SecureCodec::create(std::move(cfg), std::move(*password), log);
    if (!codec) return Error{label + ": " + codec.error().message};
    if (rekey_seconds) log.info(label + ": rekeying every " + std::to_string(rekey_seconds) + " s (-rekey)");
    return std::unique_ptr<FrameCodec>(std::move(*codec));
}

}  // namespace tvpn
