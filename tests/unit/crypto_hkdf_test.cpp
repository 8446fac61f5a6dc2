// HKDF-SHA256 against RFC 5869 appendix A (test cases 1 and 3), HMAC-SHA256
// against RFC 4231 test case 2, and the constant-time comparison.
#include "common/crypto/hkdf.h"

#include <gtest/gtest.h>

#include "tests/unit/crypto_test_util.h"

namespace tvpn::crypto {
namespace {

using test::hex;
using test::unhex;

TEST(Hkdf, Rfc5869Case1) {
    auto ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    auto salt = unhex("000102030405060708090a0b0c");
    auto info = unhex("f0f1f2f3f4f5f6f7f8f9");
    std::vector<uint8_t> okm(42);
    ASSERT_TRUE(hkdf_sha256(salt, ikm, info, okm));
    EXPECT_EQ(hex(okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    uint8_t prk[32];
    ASSERT_TRUE(hkdf_sha256_extract(salt, ikm, prk));
    EXPECT_EQ(hex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    std::vector<uint8_t> okm2(42);
    ASSERT_TRUE(hkdf_sha256_expand(prk, info, okm2));
    EXPECT_EQ(okm2, okm);
}

TEST(Hkdf, Rfc5869Case3EmptySaltAndInfo) {
    auto ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    std::vector<uint8_t> okm(42);
    ASSERT_TRUE(hkdf_sha256({}, ikm, {}, okm));
    EXPECT_EQ(hex(okm), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    uint8_t prk[32];
    ASSERT_TRUE(hkdf_sha256_extract({}, ikm, prk));
    EXPECT_EQ(hex(prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
}

TEST(Hkdf, RejectsImpossibleLengths) {
    auto ikm = unhex("0b0b");
    std::vector<uint8_t> too_long(255 * 32 + 1);
    EXPECT_FALSE(hkdf_sha256({}, ikm, {}, too_long));
    EXPECT_FALSE(hkdf_sha256({}, ikm, {}, std::span<uint8_t>()));
}

TEST(Hmac, Rfc4231Case2) {
    auto key = test::bytes_of("Jefe");
    auto data = test::bytes_of("what do ya want for nothing?");
    uint8_t mac[32];
    ASSERT_TRUE(hmac_sha256(key, data, mac));
    EXPECT_EQ(hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256, Abc) {
    auto data = test::bytes_of("abc");
    uint8_t d[32];
    ASSERT_TRUE(sha256(data, d));
    EXPECT_EQ(hex(d), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(EqualCt, ComparesContentAndLength) {
    auto a = unhex("010203"), b = unhex("010203"), c = unhex("010204"), d = unhex("0102");
    EXPECT_TRUE(equal_ct(a, b));
    EXPECT_FALSE(equal_ct(a, c));
    EXPECT_FALSE(equal_ct(a, d));
    EXPECT_TRUE(equal_ct({}, {}));
}

}  // namespace
}  // namespace tvpn::crypto
