#include "common/crypto/aead.h"

#include <openssl/evp.h>

#include <climits>

namespace tvpn::crypto {
namespace {

struct CtxDeleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const EVP_CIPHER* cipher_for(AeadAlg alg) {
    return alg == AeadAlg::ChaCha20Poly1305 ? EVP_chacha20_poly1305() : EVP_aes_256_gcm();
}

void counter_nonce(uint64_t counter, uint8_t (&nonce)[kAeadNonceSize]) {
    for (int i = 0; i < 4; ++i) nonce[i] = 0;
    for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(counter >> (8 * i));
}

bool fits_int(size_t n) { return n <= static_cast<size_t>(INT_MAX); }

}  // namespace

const char* aead_name(AeadAlg alg) {
    return alg == AeadAlg::ChaCha20Poly1305 ? "ChaCha20-Poly1305" : "AES-256-GCM";
}

struct AeadKey::Impl {
    CipherCtx enc;
    CipherCtx dec;
    unsigned fail_seals = 0;
};

AeadKey::AeadKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AeadKey::~AeadKey() = default;  // EVP_CIPHER_CTX_free cleanses the key schedule

std::unique_ptr<AeadKey> AeadKey::create(AeadAlg alg, std::span<const uint8_t, kAeadKeySize> key) {
    auto impl = std::make_unique<Impl>();
    impl->enc.reset(EVP_CIPHER_CTX_new());
    impl->dec.reset(EVP_CIPHER_CTX_new());
    if (!impl->enc || !impl->dec) return nullptr;
    const EVP_CIPHER* cipher = cipher_for(alg);
    if (EVP_EncryptInit_ex(impl->enc.get(), cipher, nullptr, key.data(), nullptr) != 1) return nullptr;
    if (EVP_DecryptInit_ex(impl->dec.get(), cipher, nullptr, key.data(), nullptr) != 1) return nullptr;
    return std::unique_ptr<AeadKey>(new AeadKey(std::move(impl)));
}

bool AeadKey::seal_nonce(std::span<const uint8_t, kAeadNonceSize> nonce, std::span<const uint8_t> aad,
                         std::span<uint8_t> data, std::span<uint8_t, kAeadTagSize> tag) {
    EVP_CIPHER_CTX* c = impl_->enc.get();
    int len = 0;
    if (impl_->fail_seals > 0) {
        --impl_->fail_seals;
        return false;
    }
    if (!fits_int(aad.size()) || !fits_int(data.size())) return false;
    if (EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) != 1) return false;
    if (!aad.empty() && EVP_EncryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
        return false;
    if (!data.empty() &&
        EVP_EncryptUpdate(c, data.data(), &len, data.data(), static_cast<int>(data.size())) != 1)
        return false;
    if (EVP_EncryptFinal_ex(c, data.data() + data.size(), &len) != 1) return false;
    return EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize), tag.data()) == 1;
}

bool AeadKey::open_nonce(std::span<const uint8_t, kAeadNonceSize> nonce, std::span<const uint8_t> aad,
                         std::span<uint8_t> data, std::span<const uint8_t, kAeadTagSize> tag) {
    EVP_CIPHER_CTX* c = impl_->dec.get();
    int len = 0;
    if (!fits_int(aad.size()) || !fits_int(data.size())) return false;
    if (EVP_DecryptInit_ex(c, nullptr, nullptr, nullptr, nonce.data()) != 1) return false;
    if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize),
                            const_cast<uint8_t*>(tag.data())) != 1)
        return false;
    if (!aad.empty() && EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1)
        return false;
    if (!data.empty() &&
        EVP_DecryptUpdate(c, data.data(), &len, data.data(), static_cast<int>(data.size())) != 1)
        return false;
    return EVP_DecryptFinal_ex(c, data.data() + data.size(), &len) == 1;
}

void AeadKey::fail_seals_for_test(unsigned n) { impl_->fail_seals = n; }

bool AeadKey::seal(uint64_t counter, std::span<const uint8_t> aad, std::span<uint8_t> data,
                   std::span<uint8_t, kAeadTagSize> tag) {
    uint8_t nonce[kAeadNonceSize];
    counter_nonce(counter, nonce);
    return seal_nonce(nonce, aad, data, tag);
}

bool AeadKey::open(uint64_t counter, std::span<const uint8_t> aad, std::span<uint8_t> data,
                   std::span<const uint8_t, kAeadTagSize> tag) {
    uint8_t nonce[kAeadNonceSize];
    counter_nonce(counter, nonce);
    return open_nonce(nonce, aad, data, tag);
}

}  // namespace tvpn::crypto
