// SPAKE2 against the four P256-SHA256-HKDF-HMAC test vectors of RFC 9382
// appendix B (which also pin the points M and N of section 4), plus the
// checks on invalid shares and a wrong password.
#include "common/crypto/spake2.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <memory>

#include "tests/unit/crypto_test_util.h"

namespace tvpn::crypto {
namespace {

using test::hex;
using test::unhex;

struct Vector {
    const char *a, *b, *w, *x, *pa, *y, *pb, *k, *ke, *conf_a, *conf_b;
};

const Vector kRfc9382[] = {
    {"server", "client", "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f",
     "43dd0fd7215bdcb482879fca3220c6a968e66d70b1356cac18bb26c84a78d729",
     "04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be6627"
     "66e1eeb4116988ede5f912c",
     "dcb60106f276b02606d8ef0a328c02e4b629f84f89786af5befb0bc75b6e66be",
     "0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6e4a1155cf8f"
     "1543ceca528afb591a1e0b7",
     "0412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d9"
     "7515fbe83db277b715d3325",
     "0e0672dc86f8e45565d338b0540abe69", "58ad4aa88e0b60d5061eb6b5dd93e80d9c4f00d127c65b3b35b1b5281fee38f0",
     "d3e2e547f1ae04f2dbdbf0fc4b79f8ecff2dff314b5d32fe9fcef2fb26dc459b"},
    {"", "client", "0548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae",
     "403abbe3b1b4b9ba17e3032849759d723939a27a27b9d921c500edde18ed654b",
     "04a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498834078262caa5b"
     "441ecfa9d4a9485720e918a",
     "903023b6598908936ea7c929bd761af6039577a9c3f9581064187c3049d87065",
     "04e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0501862970c64565560cb5671f"
     "696048050ca66ca5f8cc7fc",
     "048f83ec9f6e4f87cc6f9dc740bdc2769725f923364f01c84148c049a39a735ebda82eac03e00112fd6a5710682767cff5361f7e819"
     "e53d8d3c3a2922e0d837aa6",
     "642f05c473c2cd79909f9a841e2f30a7", "47d29e6666af1b7dd450d571233085d7a9866e4d49d2645e2df975489521232b",
     "3313c5cefc361d27fb16847a91c2a73b766ffa90a4839122a9b70a2f6bd1d6df"},
    {"server", "", "626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254",
     "07adb3db6bc623d3399726bfdbfd3d15a58ea776ab8a308b00392621291f9633",
     "04f88fb71c99bfffaea370966b7eb99cd4be0ff1a7d335caac4211c4afd855e2e15a873b298503ad8ba1d9cbb9a392d2ba309b48bfd"
     "7879aefd0f2cea6009763b0",
     "b6a4fc8dbb629d4ba51d6f91ed1532cf87adec98f25dd153a75accafafedec16",
     "040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7cca177f8eb362a6e83e7d5e729c0732e1b528879c"
     "086f39ba0f31a9661bd34db",
     "0445ee233b8ecb51ebd6e7da3f307e88a1616bae2166121221fdc0dadb986afaf3ec8a988dc9c626fa3b99f58a7ca7c9b844bb3e8dd"
     "9554aafc5b53813504c1cbe",
     "005184ff460da2ce59062c87733c299c", "bc9f9bbe99f26d0b2260e6456e05a86196a3307ec6663a18bf6ac825736533b2",
     "c2370e1bf813b086dff0d834e74425a06e6390f48f5411900276dcccc5a297ec"},
    {"", "", "7bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca",
     "8cef65df64bb2d0f83540c53632de911b5b24b3eab6cc74a97609fd659e95473",
     "04a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6063e8658563890f46ca1ef6a676598889fc28de2950ab8120b79a5ef1ea"
     "4c9f44bc98f585634b46d66",
     "d7a66f64074a84652d8d623a92e20c9675c61cb5b4f6a0063e4648a2fdc02d53",
     "04589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc0494662eea8ba6b64692dc318250030c6af045cb738bc81"
     "ba35b043c3dcb46adf6f58d",
     "041a3c03d51b452537ca2a1fea6110353c6d5ed483c4f0f86f4492ca3f378d40a994b4477f93c64d928edbbcd3e85a7c709b7ea73ee"
     "97986ce3d1438e135543772",
     "fc6374762ba5cf11f4b2caa08b2cd1b9", "dfb4db8d48ae5a675963ea5e6c19d98d4ea028d8e898dad96ea19a80ade95dca",
     "d0f0609d1613138d354f7e95f19fb556bf52d751947241e8c7118df5ef0ae175"},
};

TEST(Spake2, Rfc9382AppendixBVectors) {
    auto curve = Spake2Curve::create();
    ASSERT_TRUE(curve);
    for (const Vector& v : kRfc9382) {
        SCOPED_TRACE(std::string("A='") + v.a + "', B='" + v.b + "'");
        auto pw = spake2_password_raw(unhex(v.w));
        ASSERT_TRUE(pw);
        auto id_a = test::bytes_of(v.a), id_b = test::bytes_of(v.b);
        auto a = Spake2::start(*curve, Spake2Role::A, *pw, unhex(v.x));
        auto b = Spake2::start(*curve, Spake2Role::B, *pw, unhex(v.y));
        ASSERT_TRUE(a && b);
        EXPECT_EQ(hex(a->share()), v.pa);
        EXPECT_EQ(hex(b->share()), v.pb);
        auto ka = a->finish(b->share(), id_a, id_b);
        auto kb = b->finish(a->share(), id_a, id_b);
        ASSERT_TRUE(ka && kb);
        EXPECT_EQ(hex(a->shared_point()), v.k);
        EXPECT_EQ(hex(b->shared_point()), v.k);
        EXPECT_EQ(hex(ka->ke.span()), v.ke);
        EXPECT_EQ(hex(kb->ke.span()), v.ke);
        EXPECT_EQ(hex(ka->conf_ours), v.conf_a);
        EXPECT_EQ(hex(ka->conf_theirs), v.conf_b);
        EXPECT_EQ(hex(kb->conf_ours), v.conf_b);
        EXPECT_EQ(hex(kb->conf_theirs), v.conf_a);
    }
}

TEST(Spake2, RandomRunsAgreeAndWrongPasswordDisagrees) {
    auto curve = Spake2Curve::create();
    auto pw = spake2_password_raw(unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
    auto other = spake2_password_raw(unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f21"));
    ASSERT_TRUE(curve && pw && other);
    auto aad = test::bytes_of("context");
    auto a = Spake2::start(*curve, Spake2Role::A, *pw);
    auto b = Spake2::start(*curve, Spake2Role::B, *pw);
    auto ka = a->finish(b->share(), {}, {}, aad), kb = b->finish(a->share(), {}, {}, aad);
    ASSERT_TRUE(ka && kb);
    EXPECT_EQ(hex(ka->ke.span()), hex(kb->ke.span()));
    EXPECT_EQ(ka->conf_ours, kb->conf_theirs);

    auto a2 = Spake2::start(*curve, Spake2Role::A, *pw);
    auto a3 = Spake2::start(*curve, Spake2Role::A, *pw);
    EXPECT_NE(hex(a2->share()), hex(a3->share()));  // fresh ephemerals

    auto c = Spake2::start(*curve, Spake2Role::B, *other);
    auto ka2 = a2->finish(c->share(), {}, {}, aad), kc = c->finish(a2->share(), {}, {}, aad);
    ASSERT_TRUE(ka2 && kc);  // the shares are valid points; only confirmation tells
    EXPECT_NE(hex(ka2->ke.span()), hex(kc->ke.span()));
    EXPECT_NE(ka2->conf_theirs, kc->conf_ours);
}

TEST(Spake2, RejectsInvalidShares) {
    auto curve = Spake2Curve::create();
    auto pw = spake2_password_raw(unhex("2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f"));
    auto a = Spake2::start(*curve, Spake2Role::A, *pw);
    std::vector<uint8_t> share(a->share().begin(), a->share().end());
    EXPECT_FALSE(a->finish(std::span<const uint8_t>(share).first(64), {}, {}));  // short
    auto bad = share;
    bad[0] = 0x02;  // compressed encodings are not accepted
    EXPECT_FALSE(a->finish(bad, {}, {}));
    bad = share;
    bad[40] ^= 1;  // off the curve
    EXPECT_FALSE(a->finish(bad, {}, {}));
    std::vector<uint8_t> zero(kSpake2ShareSize, 0);
    zero[0] = 0x04;
    EXPECT_FALSE(a->finish(zero, {}, {}));
}

// RFC 9382's N for P-256 (section 4), and k*N + j*G as an uncompressed share,
// computed here with OpenSSL directly, independently of the code under test.
std::vector<uint8_t> n_times(const char* w_hex, unsigned long plus_g) {
    const auto n_bytes = unhex("03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49");
    const auto w = unhex(w_hex);
    std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> g(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1),
                                                         EC_GROUP_free);
    std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)> n(EC_POINT_new(g.get()), EC_POINT_free),
        r(EC_POINT_new(g.get()), EC_POINT_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> k(BN_bin2bn(w.data(), static_cast<int>(w.size()), nullptr), BN_free),
        j(BN_new(), BN_free);
    std::vector<uint8_t> out(kSpake2ShareSize);
    if (!g || !n || !r || !k || !j || !BN_set_word(j.get(), plus_g) ||
        EC_POINT_oct2point(g.get(), n.get(), n_bytes.data(), n_bytes.size(), nullptr) != 1 ||
        EC_POINT_mul(g.get(), r.get(), plus_g ? j.get() : nullptr, n.get(), k.get(), nullptr) != 1 ||
        EC_POINT_point2oct(g.get(), r.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), nullptr) !=
            out.size())
        ADD_FAILURE() << "OpenSSL";
    return out;
}

// A responder share of exactly w*N makes K = x*(pB - w*N) the identity: a
// valid point, but finish() must refuse it (RFC 9382 section 3.3). w*N + G,
// one step away, gives a K and is accepted: the refusal is the identity check.
TEST(Spake2, RejectsAShareThatMakesKTheIdentity) {
    const char* w = "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f";
    auto curve = Spake2Curve::create();
    auto pw = spake2_password_raw(unhex(w));
    auto a = Spake2::start(*curve, Spake2Role::A, *pw);
    ASSERT_TRUE(a);
    const auto identity_maker = n_times(w, 0);
    EXPECT_TRUE(curve->share_valid(identity_maker));  // a point on the curve, not the identity itself
    EXPECT_FALSE(a->finish(identity_maker, {}, {}));
    EXPECT_TRUE(a->finish(n_times(w, 1), {}, {}));
}

TEST(Spake2, PasswordDerivationIsDeterministicAndPasswordSpecific) {
    auto p1 = spake2_password_from(test::bytes_of("correct horse"));
    auto p2 = spake2_password_from(test::bytes_of("correct horse"));
    auto p3 = spake2_password_from(test::bytes_of("correct horsf"));
    ASSERT_TRUE(p1 && p2 && p3);
    EXPECT_EQ(p1->w.size(), kSpake2ScalarSize);
    EXPECT_EQ(hex(p1->w.span()), hex(p2->w.span()));
    EXPECT_NE(hex(p1->w.span()), hex(p3->w.span()));
}

}  // namespace
}  // namespace tvpn::crypto
