// An attacker on the path that sees everything and injects at will, but
// cannot drop, against an established -pwd session (docs/PROTOCOL.md,
// "Denial of service and online guessing"). It wins every race: it sits
// halfway, so its answer to an Init arrives before the real one. For each
// Init it sees it sends the Init's sender (a) junk Responses (shares that are
// not points) and (b) Responses with valid points and wrong confirmations
// (with no session MAC, or a random one).
// The session must survive any amount of either, for as long as they last.
#include <gtest/gtest.h>

#include <random>

#include "common/pwd/secure_codec.h"
#include "tests/unit/secure_codec_path.h"

namespace tvpn {
namespace {

using namespace test;

constexpr uint64_t kMs = S / 1000;

class Attacker {
public:
    Attacker(Path& path, int junk, int forged) : path_(path), junk_(junk), forged_(forged) {}

    void operator()(int from, const Bytes& d, uint64_t) {
        if (!on || type_of(d) != wire::MessageType::HandshakeInit) return;
        DropReason why;
        auto init = wire::parse_init(d, why);
        if (!init) return;
        for (int k = 0; k < junk_; ++k) path_.inject(from, response(init->sender_index, junk_share()));
        for (int k = 0; k < forged_; ++k) {
            Bytes r = response(init->sender_index, valid_share());
            if (k % 2)  // a session MAC it cannot have made, or none
                for (size_t i = wire::kResponseMacOffset; i < r.size(); ++i) r[i] = static_cast<uint8_t>(rng_());
            path_.inject(from, r);
        }
        sent += static_cast<uint64_t>(junk_ + forged_);
    }

    bool on = false;
    uint64_t sent = 0;

private:
    Bytes response(wire::Index receiver, Bytes share) {
        wire::Instance instance;
        std::array<uint8_t, wire::kConfirmSize> confirm;
        for (auto& x : instance) x = static_cast<uint8_t>(rng_());
        for (auto& x : confirm) x = static_cast<uint8_t>(rng_());
        auto m = wire::make_response(static_cast<wire::Index>(rng_()), receiver, instance,
                                     std::span<const uint8_t, wire::kShareSize>(share.data(), wire::kShareSize),
                                     confirm);
        return Bytes(m.begin(), m.end());
    }
    // Uncompressed-looking, but not on the curve.
    Bytes junk_share() {
        Bytes s(wire::kShareSize);
        do {
            for (auto& x : s) x = static_cast<uint8_t>(rng_());
            s[0] = 0x04;
        } while (curve_->share_valid(s));
        return s;
    }
    // A real point: a SPAKE2 share for some other password.
    Bytes valid_share() {
        Bytes w(32, static_cast<uint8_t>(rng_() | 1));
        auto pw = crypto::spake2_password_raw(w);
        auto run = crypto::Spake2::start(*curve_, crypto::Spake2Role::B, *pw);
        return Bytes(run->share().begin(), run->share().end());
    }

    Path& path_;
    int junk_, forged_;
    std::mt19937 rng_{7};
    std::unique_ptr<crypto::Spake2Curve> curve_ = crypto::Spake2Curve::create();
};

// Frames both ways at every tick while the attack runs for `minutes` with a
// 5 ms path and a 2 s rekey: no tick without a session, no frame lost, every
// rekey completes.
void expect_session_survives(int junk_per_init, int forged_per_init, uint64_t minutes) {
    End a(1, 2 * S), b(1, 2 * S);
    Path path(a, b, 5 * kMs, 5 * S);
    Attacker attacker(path, junk_per_init, forged_per_init);
    path.set_observer([&](int from, const Bytes& d, uint64_t now) { attacker(from, d, now); });
    uint32_t sent_a = 0, sent_b = 0;
    uint64_t ticks_without_session = 0;
    bool sending = false;
    path.set_on_tick([&](uint64_t now) {
        if (!sending) return;
        if (!a.codec->has_session(now) || !b.codec->has_session(now)) ++ticks_without_session;
        a.send(frame(sent_a++), now);
        b.send(frame(1000000 + sent_b++), now);
    });
    path.run_until(path.now() + S);
    ASSERT_TRUE(a.codec->has_session(path.now()) && b.codec->has_session(path.now()));
    const uint64_t before = a.codec->sessions_established() + b.codec->sessions_established();
    const uint64_t initiated_before = a.codec->handshakes_initiated() + b.codec->handshakes_initiated();
    attacker.on = sending = true;
    path.run_until(path.now() + minutes * 60 * S);
    sending = false;
    path.run_until(path.now() + S);  // what is in flight arrives
    const uint64_t now = path.now();
    const std::string st = "a:\n" + a.codec->status(now) + "b:\n" + b.codec->status(now);
    EXPECT_EQ(ticks_without_session, 0u) << st;
    EXPECT_EQ(b.frames.size(), sent_a) << st;
    EXPECT_EQ(a.frames.size(), sent_b) << st;
    // One rekey per 2 s, give or take: none may fail.
    const uint64_t rekeys = a.codec->sessions_established() + b.codec->sessions_established() - before;
    EXPECT_GE(rekeys, 2 * (minutes * 60 / 2) * 9 / 10) << st;
    // Every Init sent under attack completed (each handshake counts at both
    // ends): none was refused, none had to be retried.
    const uint64_t initiated = a.codec->handshakes_initiated() + b.codec->handshakes_initiated() - initiated_before;
    EXPECT_EQ(initiated, rekeys / 2) << st;
    // It answered every Init (about one per 2 s), at least half of the time.
    EXPECT_GE(attacker.sent, static_cast<uint64_t>(junk_per_init + forged_per_init) * minutes * 60 / 4)
        << "the attack did not run";
}

// First contact proves no session, so the real Response goes through the
// Response budget: junk ones, not points, must not have used it up.
TEST(SecureCodecOnPath, JunkResponsesDoNotStopAFirstHandshake) {
    End a(1), b(1);
    Path path(a, b, 5 * kMs, 5 * S);
    Attacker attacker(path, 50, 0);
    attacker.on = true;
    path.set_observer([&](int from, const Bytes& d, uint64_t now) { attacker(from, d, now); });
    path.run_until(path.now() + S);
    EXPECT_TRUE(a.codec->has_session(path.now()) && b.codec->has_session(path.now()))
        << a.codec->status(path.now()) << b.codec->status(path.now());
    EXPECT_GE(a.dropped(DropReason::Auth), 50u);
    EXPECT_EQ(a.dropped(DropReason::RateLimited) + b.dropped(DropReason::RateLimited), 0u);
}

TEST(SecureCodecOnPath, JunkResponsesToEveryInitDoNotEndTheSession) { expect_session_survives(16, 0, 3); }

TEST(SecureCodecOnPath, ForgedResponsesToEveryInitDoNotEndTheSession) { expect_session_survives(0, 3, 3); }

TEST(SecureCodecOnPath, BothAttacksForTenMinutesDoNotEndTheSession) { expect_session_survives(16, 3, 10); }

}  // namespace
}  // namespace tvpn
