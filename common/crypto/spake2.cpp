#include "common/crypto/spake2.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace tvpn::crypto {
namespace {

struct Free {
    void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
    void operator()(EC_POINT* p) const { EC_POINT_clear_free(p); }
    void operator()(BIGNUM* b) const { BN_clear_free(b); }
    void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Group = std::unique_ptr<EC_GROUP, Free>;
using Point = std::unique_ptr<EC_POINT, Free>;
using Bn = std::unique_ptr<BIGNUM, Free>;
using BnCtx = std::unique_ptr<BN_CTX, Free>;

// RFC 9382 section 4, P-256 (SEC1 compressed).
constexpr uint8_t kM[33] = {0x02, 0x88, 0x6e, 0x2f, 0x97, 0xac, 0xe4, 0x6e, 0x55, 0xba, 0x9d,
                            0xd7, 0x24, 0x25, 0x79, 0xf2, 0x99, 0x3b, 0x64, 0xe1, 0x6e, 0xf3,
                            0xdc, 0xab, 0x95, 0xaf, 0xd4, 0x97, 0x33, 0x3d, 0x8f, 0xa1, 0x2f};
constexpr uint8_t kN[33] = {0x03, 0xd8, 0xbb, 0xd6, 0xc6, 0x39, 0xc6, 0x29, 0x37, 0xb0, 0x4d,
                            0x99, 0x7f, 0x38, 0xc3, 0x77, 0x07, 0x19, 0xc6, 0x29, 0xd7, 0x01,
                            0x4d, 0x49, 0xa2, 0x4b, 0x4f, 0x98, 0xba, 0xa1, 0x29, 0x2b, 0x49};

constexpr std::string_view kScryptSalt = "TVPN v1 SPAKE2-P256 password";
constexpr uint64_t kScryptN = 1u << 15, kScryptR = 8, kScryptP = 1;
constexpr uint64_t kScryptMaxMem = 64u << 20;

Bn bn_secure() {
    Bn b(BN_secure_new());
    if (b) BN_set_flags(b.get(), BN_FLG_CONSTTIME);
    return b;
}

// Reduces big-endian `bytes` mod the P-256 order into a 32-byte scalar.
std::optional<Spake2Password> reduce_to_scalar(std::span<const uint8_t> bytes) {
    Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    BnCtx ctx(BN_CTX_secure_new());
    Bn v = bn_secure(), r = bn_secure();
    if (!group || !ctx || !v || !r) return std::nullopt;
    if (!BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), v.get())) return std::nullopt;
    if (!BN_nnmod(r.get(), v.get(), EC_GROUP_get0_order(group.get()), ctx.get())) return std::nullopt;
    if (BN_is_zero(r.get())) return std::nullopt;
    Spake2Password pw{Secret(kSpake2ScalarSize)};
    if (BN_bn2binpad(r.get(), pw.w.data(), kSpake2ScalarSize) != kSpake2ScalarSize) return std::nullopt;
    return pw;
}

// len(x) || x with an 8-byte little-endian length, as the RFC's transcript.
void append_with_len(std::vector<uint8_t>& tt, std::span<const uint8_t> x) {
    uint64_t n = x.size();
    for (int i = 0; i < 8; ++i) tt.push_back(static_cast<uint8_t>(n >> (8 * i)));
    tt.insert(tt.end(), x.begin(), x.end());
}

// Decodes a peer's share into `out`: only uncompressed points, on the curve
// (oct2point checks), not the identity. P-256 has cofactor 1, so that is enough.
bool decode_share(const EC_GROUP* g, std::span<const uint8_t> share, EC_POINT* out, BN_CTX* ctx) {
    if (share.size() != kSpake2ShareSize || share[0] != 0x04) return false;
    if (EC_POINT_oct2point(g, out, share.data(), share.size(), ctx) != 1) return false;
    return !EC_POINT_is_at_infinity(g, out) && EC_POINT_is_on_curve(g, out, ctx) == 1;
}

}  // namespace

std::optional<Spake2Password> spake2_password_from(std::span<const uint8_t> password) {
    Secret out(48);  // 384 bits, 128 more than the order: the reduction's bias is below 2^-128
    if (EVP_PBE_scrypt(reinterpret_cast<const char*>(password.data()), password.size(),
                       reinterpret_cast<const unsigned char*>(kScryptSalt.data()), kScryptSalt.size(), kScryptN,
                       kScryptR, kScryptP, kScryptMaxMem, out.data(), out.size()) != 1)
        return std::nullopt;
    return reduce_to_scalar(out.span());
}

std::optional<Spake2Password> spake2_password_raw(std::span<const uint8_t> w) { return reduce_to_scalar(w); }

struct Spake2Curve::Impl {
    Group group;
    Point m, n;
};

Spake2Curve::Spake2Curve(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Spake2Curve::~Spake2Curve() = default;

std::unique_ptr<Spake2Curve> Spake2Curve::create() {
    auto impl = std::make_unique<Impl>();
    impl->group.reset(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    if (!impl->group) return nullptr;
    impl->m.reset(EC_POINT_new(impl->group.get()));
    impl->n.reset(EC_POINT_new(impl->group.get()));
    BnCtx ctx(BN_CTX_new());
    if (!impl->m || !impl->n || !ctx) return nullptr;
    if (EC_POINT_oct2point(impl->group.get(), impl->m.get(), kM, sizeof kM, ctx.get()) != 1) return nullptr;
    if (EC_POINT_oct2point(impl->group.get(), impl->n.get(), kN, sizeof kN, ctx.get()) != 1) return nullptr;
    return std::unique_ptr<Spake2Curve>(new Spake2Curve(std::move(impl)));
}

bool Spake2Curve::share_valid(std::span<const uint8_t> share) const {
    BnCtx ctx(BN_CTX_new());
    Point p(EC_POINT_new(impl_->group.get()));
    return ctx && p && decode_share(impl_->group.get(), share, p.get(), ctx.get());
}

struct Spake2::Impl {
    const Spake2Curve::Impl* curve = nullptr;
    Spake2Role role = Spake2Role::A;
    Bn w, x;  // password scalar and our ephemeral
    std::array<uint8_t, kSpake2ShareSize> share{};
    std::array<uint8_t, kSpake2ShareSize> k{};  // the shared point: secret
    BnCtx ctx;
    ~Impl() { wipe(k.data(), k.size()); }  // w and x are secure BIGNUMs, cleared when freed
};

Spake2::Spake2(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Spake2::~Spake2() = default;

std::unique_ptr<Spake2> Spake2::start(const Spake2Curve& curve, Spake2Role role, const Spake2Password& pw,
                                      std::span<const uint8_t> ephemeral) {
    auto s = std::make_unique<Impl>();
    s->curve = &curve.impl();
    s->role = role;
    s->ctx.reset(BN_CTX_secure_new());
    s->w = bn_secure();
    s->x = bn_secure();
    const EC_GROUP* g = s->curve->group.get();
    const BIGNUM* order = EC_GROUP_get0_order(g);
    if (!s->ctx || !s->w || !s->x || pw.w.size() != kSpake2ScalarSize) return nullptr;
    if (!BN_bin2bn(pw.w.data(), kSpake2ScalarSize, s->w.get())) return nullptr;
    if (ephemeral.empty()) {
        do {
            if (BN_priv_rand_range(s->x.get(), order) != 1) return nullptr;
        } while (BN_is_zero(s->x.get()));
    } else if (!BN_bin2bn(ephemeral.data(), static_cast<int>(ephemeral.size()), s->x.get()) ||
               BN_is_zero(s->x.get()) || BN_cmp(s->x.get(), order) >= 0) {
        return nullptr;
    }
    // pA = x*G + w*M (pB = y*G + w*N)
    Point p(EC_POINT_new(g));
    const EC_POINT* mask = role == Spake2Role::A ? s->curve->m.get() : s->curve->n.get();
    if (!p || EC_POINT_mul(g, p.get(), s->x.get(), mask, s->w.get(), s->ctx.get()) != 1) return nullptr;
    if (EC_POINT_point2oct(g, p.get(), POINT_CONVERSION_UNCOMPRESSED, s->share.data(), s->share.size(),
                           s->ctx.get()) != kSpake2ShareSize)
        return nullptr;
    return std::unique_ptr<Spake2>(new Spake2(std::move(s)));
}

std::span<const uint8_t, kSpake2ShareSize> Spake2::share() const { return impl_->share; }
std::span<const uint8_t, kSpake2ShareSize> Spake2::shared_point() const { return impl_->k; }

std::optional<Spake2Keys> Spake2::finish(std::span<const uint8_t> peer_share, std::span<const uint8_t> id_a,
                                         std::span<const uint8_t> id_b, std::span<const uint8_t> aad) {
    Impl& s = *impl_;
    const EC_GROUP* g = s.curve->group.get();
    BN_CTX* ctx = s.ctx.get();
    Point peer(EC_POINT_new(g)), t(EC_POINT_new(g)), k(EC_POINT_new(g));
    if (!peer || !t || !k || !decode_share(g, peer_share, peer.get(), ctx)) return std::nullopt;
    // K = x*(peer - w*N) for A, y*(peer - w*M) for B
    const EC_POINT* unmask = s.role == Spake2Role::A ? s.curve->n.get() : s.curve->m.get();
    if (EC_POINT_mul(g, t.get(), nullptr, unmask, s.w.get(), ctx) != 1) return std::nullopt;
    if (EC_POINT_invert(g, t.get(), ctx) != 1 || EC_POINT_add(g, t.get(), peer.get(), t.get(), ctx) != 1)
        return std::nullopt;
    if (EC_POINT_mul(g, k.get(), nullptr, t.get(), s.x.get(), ctx) != 1) return std::nullopt;
    if (EC_POINT_is_at_infinity(g, k.get())) return std::nullopt;
    if (EC_POINT_point2oct(g, k.get(), POINT_CONVERSION_UNCOMPRESSED, s.k.data(), s.k.size(), ctx) !=
        kSpake2ShareSize)
        return std::nullopt;

    // TT = len(A)||A||len(B)||B||len(pA)||pA||len(pB)||pB||len(K)||K||len(w)||w
    std::span<const uint8_t> pa = s.role == Spake2Role::A ? std::span<const uint8_t>(s.share) : peer_share;
    std::span<const uint8_t> pb = s.role == Spake2Role::A ? peer_share : std::span<const uint8_t>(s.share);
    uint8_t wbytes[kSpake2ScalarSize];
    if (BN_bn2binpad(s.w.get(), wbytes, sizeof wbytes) != kSpake2ScalarSize) return std::nullopt;
    std::vector<uint8_t> tt;
    tt.reserve(6 * 8 + id_a.size() + id_b.size() + 3 * kSpake2ShareSize + kSpake2ScalarSize);
    append_with_len(tt, id_a);
    append_with_len(tt, id_b);
    append_with_len(tt, pa);
    append_with_len(tt, pb);
    append_with_len(tt, s.k);
    append_with_len(tt, wbytes);
    wipe(wbytes, sizeof wbytes);

    // Ke || Ka = Hash(TT); KcA || KcB = KDF(nil, Ka, "ConfirmationKeys" || AAD)
    Secret hash_tt(kSha256Size), kc(kSha256Size);
    bool ok = sha256(tt, std::span<uint8_t, kSha256Size>(hash_tt.data(), kSha256Size));
    std::vector<uint8_t> info;
    const std::string_view label = "ConfirmationKeys";
    info.insert(info.end(), label.begin(), label.end());
    info.insert(info.end(), aad.begin(), aad.end());
    ok = ok && hkdf_sha256({}, hash_tt.span().subspan(16, 16), info, kc.span());
    Spake2Keys keys{Secret(hash_tt.span().first(16)), {}, {}};
    const auto kc_a = kc.span().first(16), kc_b = kc.span().subspan(16, 16);
    const bool a = s.role == Spake2Role::A;
    ok = ok && hmac_sha256(a ? kc_a : kc_b, tt, keys.conf_ours);
    ok = ok && hmac_sha256(a ? kc_b : kc_a, tt, keys.conf_theirs);
    wipe(tt.data(), tt.size());
    if (!ok) return std::nullopt;
    return keys;
}

}  // namespace tvpn::crypto
