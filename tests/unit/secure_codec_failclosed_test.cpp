// The -pwd codec fails closed: a seal that fails drops the frame (counted)
// instead of sending it with a garbage tag, and a random generator that fails
// never yields an all-zero instance or index: no codec, no handshake, no
// answer until it works again. The generator failure is real (a failing
// OpenSSL RAND_METHOD), the seal failure comes from AeadKey's test hook.
#define OPENSSL_SUPPRESS_DEPRECATED  // RAND_set_rand_method: the way to make RAND_bytes fail
#include <gtest/gtest.h>
#include <openssl/rand.h>

#include "common/pwd/secure_codec.h"
#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

using namespace test;

int no_bytes(unsigned char*, int) { return 0; }
int no_status() { return 0; }

// While it lives, every RAND_bytes (and RAND_priv_bytes) fails.
class BrokenRandom {
public:
    BrokenRandom() : saved_(RAND_get_rand_method()) {
        method_.bytes = no_bytes;
        method_.pseudorand = no_bytes;
        method_.status = no_status;
        EXPECT_EQ(RAND_set_rand_method(&method_), 1);
    }
    ~BrokenRandom() { RAND_set_rand_method(saved_); }

private:
    RAND_METHOD method_{};
    const RAND_METHOD* saved_;
};

TEST(SecureCodecFailClosed, AFailedSealDropsTheFrameAndIsCounted) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    a.codec->fail_seals_for_test(1);
    EXPECT_EQ(a.send(frame(1), now), SealVerdict::Drop);
    EXPECT_EQ(a.dropped(DropReason::CryptoError), 1u);
    EXPECT_TRUE(a.out.q.empty());  // nothing with a garbage tag went out
    EXPECT_EQ(a.send(frame(2), now), SealVerdict::Send);
    pump(a, b, now);
    ASSERT_EQ(b.frames.size(), 1u);
    EXPECT_EQ(b.frames[0], frame(2));
    EXPECT_EQ(b.total_drops(), 0u);
    // A keepalive whose seal fails is not sent either.
    a.codec->fail_seals_for_test(1);
    now += wire::kKeepalive;
    a.codec->tick(now);
    for (const Bytes& d : a.out.q) EXPECT_NE(type_of(d), wire::MessageType::Data);  // a path probe may leave
    EXPECT_EQ(a.codec->crypto_failures(), 1u);
    EXPECT_NE(a.codec->status(now).find("crypto failures: 1"), std::string::npos) << a.codec->status(now);
}

TEST(SecureCodecFailClosed, NoCodecWithoutTheRandomGenerator) {
    Logger log("test", Logger::Sink::Silent);
    BrokenRandom broken;
    auto c = SecureCodec::create(SecureCodecConfig{"test tunnel", wire::kRekeyAfterTime}, password(1), log);
    EXPECT_FALSE(c);  // its instance would be all zero
}

TEST(SecureCodecFailClosed, NoHandshakeWhileTheRandomGeneratorFails) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    b.codec->tick(now);
    const Bytes init_from_b = b.out.q.front();
    b.out.q.clear();
    {
        BrokenRandom broken;
        a.codec->tick(now);
        EXPECT_TRUE(a.out.q.empty());  // no Init with a predictable index or ephemeral
        a.receive(init_from_b, now);
        EXPECT_TRUE(a.out.q.empty());  // no answer either
        EXPECT_EQ(a.dropped(DropReason::CryptoError), 1u);
        EXPECT_GE(a.codec->crypto_failures(), 2u);
    }
    for (int t = 0; t < 50 && !(a.codec->has_session(now) && b.codec->has_session(now)); ++t) {
        now += kTick;
        a.codec->tick(now);
        b.codec->tick(now);
        pump(a, b, now);
    }
    EXPECT_TRUE(a.codec->has_session(now) && b.codec->has_session(now));  // back once it works
}

}  // namespace
}  // namespace tvpn
