// The legacy DES primitive and key derivation, against vectors derived
// independently with `openssl enc -des-ecb -nopad -provider legacy -provider default`
// (the parity bits computed separately in Python).
#include "common/crypto/des_ecb.h"

#include <gtest/gtest.h>

#include "tests/unit/crypto_test_util.h"

namespace tvpn::crypto {
namespace {

using test::hex;
using test::unhex;

TEST(DesKey, FirstEightBytesZeroPaddedOddParity) {
    uint8_t key[kDesKeySize];
    des_key_from_password(test::bytes_of("secret"), key);
    EXPECT_EQ(hex(key), "7364627364750101");
    des_key_from_password(test::bytes_of("longpassword123"), key);
    EXPECT_EQ(hex(key), "6d6e6e6770617373");
    for (uint8_t b : key) EXPECT_EQ(__builtin_popcount(b) % 2, 1);
}

TEST(DesEcb, KnownAnswersInPlace) {
    struct V {
        const char *password, *plain, *cipher;
    } vs[] = {
        {"secret", "0000001cffffffffffff02000000000108004500001468656c6c6f207476706e",
         "9c2f1bc0b20654aef6a211903c1be2866e650242474558b8aeadb674eb61739f"},
        {"longpassword123", "00000010000102030405060708090a0b0c0d0e0f00000000",
         "bf57e4bdcb8e00a374fce5d07861c99590855cd37e990872"},
    };
    for (const V& v : vs) {
        uint8_t key[kDesKeySize];
        des_key_from_password(test::bytes_of(v.password), key);
        auto des = DesEcb::create(key);
        ASSERT_TRUE(des) << des.error().message;
        auto data = unhex(v.plain);
        ASSERT_TRUE((*des)->encrypt(data));
        EXPECT_EQ(hex(data), v.cipher);
        ASSERT_TRUE((*des)->decrypt(data));
        EXPECT_EQ(hex(data), v.plain);
    }
}

TEST(DesEcb, RefusesPartialBlocks) {
    uint8_t key[kDesKeySize] = {1, 1, 1, 1, 1, 1, 1, 1};
    auto des = DesEcb::create(key);
    ASSERT_TRUE(des);
    std::vector<uint8_t> data(12);
    EXPECT_FALSE((*des)->encrypt(data));
    EXPECT_FALSE((*des)->decrypt(data));
}

}  // namespace
}  // namespace tvpn::crypto
