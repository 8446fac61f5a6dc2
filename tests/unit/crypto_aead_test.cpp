// The AEAD wrapper against RFC 8439 section 2.8.2 (ChaCha20-Poly1305) and the
// GCM specification's AES-256 test cases 14 and 16; tampering and the counter nonce.
#include "common/crypto/aead.h"

#include <gtest/gtest.h>

#include "tests/unit/crypto_test_util.h"

namespace tvpn::crypto {
namespace {

using test::hex;
using test::unhex;

std::unique_ptr<AeadKey> key_from_hex(AeadAlg alg, std::string_view h) {
    auto k = unhex(h);
    return AeadKey::create(alg, std::span<const uint8_t, kAeadKeySize>(k.data(), kAeadKeySize));
}

struct Vector {
    AeadAlg alg;
    const char *key, *nonce, *aad, *plain, *cipher, *tag;
};

const Vector kVectors[] = {
    {AeadAlg::ChaCha20Poly1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
     "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620"
     "4920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c"
     "2073756e73637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da9272"
     "8b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b48"
     "31d7bc3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
    {AeadAlg::Aes256Gcm, "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {AeadAlg::Aes256Gcm, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
     "b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
     "c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(Aead, KnownAnswersSealAndOpenInPlace) {
    for (const Vector& v : kVectors) {
        SCOPED_TRACE(aead_name(v.alg));
        auto key = key_from_hex(v.alg, v.key);
        ASSERT_TRUE(key);
        auto nonce = unhex(v.nonce);
        auto aad = unhex(v.aad);
        auto data = unhex(v.plain);
        uint8_t tag[kAeadTagSize];
        std::span<const uint8_t, kAeadNonceSize> n(nonce.data(), kAeadNonceSize);
        ASSERT_TRUE(key->seal_nonce(n, aad, data, tag));
        EXPECT_EQ(hex(data), v.cipher);
        EXPECT_EQ(hex(tag), v.tag);
        ASSERT_TRUE(key->open_nonce(n, aad, data, tag));
        EXPECT_EQ(hex(data), v.plain);
    }
}

TEST(Aead, RejectsEveryTamperedPart) {
    for (AeadAlg alg : {AeadAlg::ChaCha20Poly1305, AeadAlg::Aes256Gcm}) {
        auto key = key_from_hex(alg, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        auto aad = test::bytes_of("header");
        const auto plain = test::bytes_of("a frame that must not change");
        auto data = plain;
        uint8_t tag[kAeadTagSize];
        ASSERT_TRUE(key->seal(7, aad, data, tag));
        for (size_t i = 0; i < data.size(); ++i) {  // every ciphertext byte
            auto d = data;
            d[i] ^= 1;
            EXPECT_FALSE(key->open(7, aad, d, tag));
        }
        auto d = data;
        uint8_t bad_tag[kAeadTagSize];
        std::copy(tag, tag + kAeadTagSize, bad_tag);
        bad_tag[15] ^= 0x80;
        EXPECT_FALSE(key->open(7, aad, d, bad_tag));
        d = data;
        EXPECT_FALSE(key->open(8, aad, d, tag));  // another counter
        auto aad2 = aad;
        aad2[0] ^= 1;
        d = data;
        EXPECT_FALSE(key->open(7, aad2, d, tag));
        d = data;
        ASSERT_TRUE(key->open(7, aad, d, tag));
        EXPECT_EQ(d, plain);
    }
}

TEST(Aead, CounterNonceIsLittleEndianAfterFourZeroBytes) {
    auto key = key_from_hex(AeadAlg::ChaCha20Poly1305,
                            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    auto a = test::bytes_of("same text"), b = a;
    uint8_t t1[kAeadTagSize], t2[kAeadTagSize];
    auto nonce = unhex("000000000807060504030201");
    ASSERT_TRUE(key->seal(0x0102030405060708ull, {}, a, t1));
    ASSERT_TRUE(key->seal_nonce(std::span<const uint8_t, kAeadNonceSize>(nonce.data(), kAeadNonceSize), {}, b, t2));
    EXPECT_EQ(a, b);
    EXPECT_EQ(hex(t1), hex(t2));
}

TEST(Aead, EmptyPayloadAuthenticates) {
    auto key = key_from_hex(AeadAlg::Aes256Gcm, "0000000000000000000000000000000000000000000000000000000000000000");
    uint8_t tag[kAeadTagSize];
    auto nonce = unhex("000000000000000000000000");
    std::span<const uint8_t, kAeadNonceSize> n(nonce.data(), kAeadNonceSize);
    ASSERT_TRUE(key->seal_nonce(n, {}, std::span<uint8_t>(), tag));
    EXPECT_EQ(hex(tag), "530f8afbc74536b9a963b4f1c4cb738b");  // GCM spec test case 13
    EXPECT_TRUE(key->open_nonce(n, {}, std::span<uint8_t>(), tag));
}

}  // namespace
}  // namespace tvpn::crypto
