// The legacy DES framing: a datagram built by hand and checked against the
// vector derived with the openssl command line (see crypto_des_test.cpp), and
// length checks on what arrives.
#include "common/codec/legacy_des_codec.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/unit/crypto_test_util.h"

namespace tvpn {
namespace {

using test::hex;
using test::unhex;

std::unique_ptr<LegacyDesCodec> codec(const char* password) {
    uint8_t key[crypto::kDesKeySize];
    crypto::des_key_from_password(test::bytes_of(password), key);
    auto des = crypto::DesEcb::create(key);
    EXPECT_TRUE(des);
    return std::make_unique<LegacyDesCodec>(std::move(*des));
}

TEST(LegacyDesCodec, SealsTheOriginalFormat) {
    auto c = codec("secret");
    PacketBatch batch(1);
    Packet& p = batch[0];
    const auto frame = unhex("ffffffffffff02000000000108004500001468656c6c6f207476706e");  // 28 bytes
    p.off = kHeadroom;
    p.len = static_cast<uint32_t>(frame.size());
    std::memcpy(p.data(), frame.data(), frame.size());
    ASSERT_EQ(c->seal(p, 0).verdict, SealVerdict::Send);
    EXPECT_EQ(p.len, 32u);
    EXPECT_EQ(hex(std::vector<uint8_t>(p.data(), p.data() + p.len)),
              "9c2f1bc0b20654aef6a211903c1be2866e650242474558b8aeadb674eb61739f");
    ASSERT_EQ(c->open(p, 0).verdict, OpenVerdict::Frame);
    EXPECT_EQ(std::vector<uint8_t>(p.data(), p.data() + p.len), frame);
}

TEST(LegacyDesCodec, PadsToEightAndRoundTripsEverySize) {
    auto a = codec("oldtvpn-secret"), b = codec("oldtvpn-secret");
    PacketBatch batch(1);
    Packet& p = batch[0];
    for (uint32_t n = 14; n < 200; ++n) {
        p.off = kHeadroom;
        p.len = n;
        for (uint32_t i = 0; i < n; ++i) p.data()[i] = static_cast<uint8_t>(i + n);
        ASSERT_EQ(a->seal(p, 0).verdict, SealVerdict::Send);
        EXPECT_EQ(p.len, (n + 4 + 7) / 8 * 8);
        ASSERT_EQ(b->open(p, 0).verdict, OpenVerdict::Frame) << n;
        ASSERT_EQ(p.len, n);
        EXPECT_EQ(p.data()[n - 1], static_cast<uint8_t>(n - 1 + n));
    }
}

TEST(LegacyDesCodec, LengthFieldIsCheckedAgainstTheDatagram) {
    // Plain datagrams (as after decryption): the length must fit and the padding be under a block.
    EXPECT_EQ(des_plain_frame_length(unhex("0000000c 0102030405060708090a0b0c")), 12u);
    EXPECT_FALSE(des_plain_frame_length(unhex("0000000d 0102030405060708090a0b0c")));  // past the end
    EXPECT_FALSE(des_plain_frame_length(unhex("00000004 0102030405060708090a0b0c")));  // too much padding
    EXPECT_FALSE(des_plain_frame_length(unhex("ffffffff 0102030405060708090a0b0c")));
    EXPECT_FALSE(des_plain_frame_length(unhex("00000000 0102")));                      // not whole blocks
    EXPECT_FALSE(des_plain_frame_length({}));
    auto c = codec("secret");
    PacketBatch batch(1);
    Packet& p = batch[0];
    for (uint32_t n : {0u, 7u, 9u, 8u, 16u}) {  // short, ragged, or decrypting to nonsense
        p.off = kHeadroom;
        p.len = n;
        std::memset(p.data(), 0x5a, n);
        EXPECT_EQ(c->open(p, 0).verdict, OpenVerdict::Drop) << n;
    }
}

}  // namespace
}  // namespace tvpn
