#include "common/crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>

namespace tvpn::crypto {
namespace {

struct KdfDeleter {
    void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
    void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// One HKDF call in `mode` (EVP_KDF_HKDF_MODE_*). Empty spans are passed as
// empty octet strings (OpenSSL wants a non-null pointer).
bool hkdf(int mode, std::span<const uint8_t> salt, std::span<const uint8_t> key, std::span<const uint8_t> info,
          std::span<uint8_t> out) {
    static const uint8_t kEmpty[1] = {0};
    auto ptr = [](std::span<const uint8_t> s) { return const_cast<uint8_t*>(s.empty() ? kEmpty : s.data()); };
    std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf) return false;
    std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) return false;
    char digest[] = "SHA256";
    OSSL_PARAM params[6];
    size_t n = 0;
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ptr(key), key.size());
    if (mode != EVP_KDF_HKDF_MODE_EXPAND_ONLY)
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, ptr(salt), salt.size());
    if (mode != EVP_KDF_HKDF_MODE_EXTRACT_ONLY && !info.empty())
        params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ptr(info), info.size());
    params[n] = OSSL_PARAM_construct_end();
    return EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
}

}  // namespace

bool hkdf_sha256(std::span<const uint8_t> salt, std::span<const uint8_t> ikm, std::span<const uint8_t> info,
                 std::span<uint8_t> out) {
    if (out.empty() || out.size() > 255 * kSha256Size) return false;
    return hkdf(EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, salt, ikm, info, out);
}

bool hkdf_sha256_extract(std::span<const uint8_t> salt, std::span<const uint8_t> ikm,
                         std::span<uint8_t, kSha256Size> prk) {
    return hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, salt, ikm, {}, prk);
}

bool hkdf_sha256_expand(std::span<const uint8_t, kSha256Size> prk, std::span<const uint8_t> info,
                        std::span<uint8_t> out) {
    if (out.empty() || out.size() > 255 * kSha256Size) return false;
    return hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, {}, prk, info, out);
}

bool hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data, std::span<uint8_t, kSha256Size> mac) {
    static const uint8_t kEmpty[1] = {0};
    unsigned int len = 0;
    return HMAC(EVP_sha256(), key.empty() ? kEmpty : key.data(), static_cast<int>(key.size()),
                data.empty() ? kEmpty : data.data(), data.size(), mac.data(), &len) != nullptr &&
           len == kSha256Size;
}

bool sha256(std::span<const uint8_t> data, std::span<uint8_t, kSha256Size> digest) {
    unsigned int len = 0;
    return EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr) == 1 &&
           len == kSha256Size;
}

bool equal_ct(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool random_bytes(std::span<uint8_t> out) {
    return out.empty() || RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

}  // namespace tvpn::crypto
