#include "common/crypto/des_ecb.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <bit>
#include <climits>

#include "common/crypto/secret.h"

namespace tvpn::crypto {
namespace {

struct Free {
    void operator()(OSSL_LIB_CTX* c) const { OSSL_LIB_CTX_free(c); }
    void operator()(OSSL_PROVIDER* p) const { OSSL_PROVIDER_unload(p); }
    void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

}  // namespace

void des_key_from_password(std::span<const uint8_t> password, std::span<uint8_t, kDesKeySize> key) {
    for (size_t i = 0; i < kDesKeySize; ++i) {
        const uint8_t b = i < password.size() ? password[i] : 0;
        const uint8_t high = b & 0xFE;
        key[i] = static_cast<uint8_t>(high | ((std::popcount(high) % 2 == 0) ? 1 : 0));
    }
}

// Members are destroyed in reverse order: contexts, cipher, providers, library context.
struct DesEcb::Impl {
    std::unique_ptr<OSSL_LIB_CTX, Free> libctx;
    std::unique_ptr<OSSL_PROVIDER, Free> legacy, base;
    std::unique_ptr<EVP_CIPHER, Free> cipher;
    std::unique_ptr<EVP_CIPHER_CTX, Free> enc, dec;
};

DesEcb::DesEcb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DesEcb::~DesEcb() = default;

Result<std::unique_ptr<DesEcb>> DesEcb::create(std::span<const uint8_t, kDesKeySize> key) {
    auto d = std::make_unique<Impl>();
    d->libctx.reset(OSSL_LIB_CTX_new());
    if (!d->libctx) return Error{"DES: cannot create an OpenSSL library context"};
    d->legacy.reset(OSSL_PROVIDER_load(d->libctx.get(), "legacy"));
    d->base.reset(OSSL_PROVIDER_load(d->libctx.get(), "default"));
    if (!d->legacy || !d->base)
        return Error{"DES: OpenSSL's legacy provider is not available (install it, e.g. Debian's libssl3)"};
    d->cipher.reset(EVP_CIPHER_fetch(d->libctx.get(), "DES-ECB", nullptr));
    d->enc.reset(EVP_CIPHER_CTX_new());
    d->dec.reset(EVP_CIPHER_CTX_new());
    if (!d->cipher || !d->enc || !d->dec) return Error{"DES: DES-ECB is not available from OpenSSL"};
    if (EVP_EncryptInit_ex2(d->enc.get(), d->cipher.get(), key.data(), nullptr, nullptr) != 1 ||
        EVP_DecryptInit_ex2(d->dec.get(), d->cipher.get(), key.data(), nullptr, nullptr) != 1)
        return Error{"DES: cannot set the key"};
    EVP_CIPHER_CTX_set_padding(d->enc.get(), 0);
    EVP_CIPHER_CTX_set_padding(d->dec.get(), 0);
    return std::unique_ptr<DesEcb>(new DesEcb(std::move(d)));
}

static bool run(EVP_CIPHER_CTX* c, std::span<uint8_t> data) {
    if (data.size() % kDesBlockSize != 0 || data.size() > static_cast<size_t>(INT_MAX)) return false;
    int len = 0;
    if (data.empty()) return true;
    return EVP_CipherUpdate(c, data.data(), &len, data.data(), static_cast<int>(data.size())) == 1 &&
           static_cast<size_t>(len) == data.size();
}

bool DesEcb::encrypt(std::span<uint8_t> data) { return run(impl_->enc.get(), data); }
bool DesEcb::decrypt(std::span<uint8_t> data) { return run(impl_->dec.get(), data); }

}  // namespace tvpn::crypto
