// Attacks on the -pwd handshake, in process: floods of garbage and forged
// inits, online password guessing, forged inits against a pending rekey,
// replayed rekey inits and forged responses (docs/PROTOCOL.md, "Denial of
// service").
#include <gtest/gtest.h>

#include <random>

#include "common/pwd/secure_codec.h"
#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

// Forged Inits randomise the instance and share (not the name tag, which a
// forger copies from any Init it saw: a wrong tag is dropped even earlier).
constexpr size_t kShareEnd = wire::kHeaderSize + wire::kIndexSize + wire::kInstanceSize + wire::kShareSize;

using namespace test;

TEST(SecureCodec, GarbageAndHandshakeFloodsDoNotStopTheSession) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    // Record one of each handshake message from a fresh exchange.
    End c(1), d(1);
    c.codec->tick(now);
    const Bytes init = c.out.q.front();
    std::mt19937 rng(3);
    for (int i = 0; i < 20000; ++i) {
        now += 50000;  // 20000 datagrams a second
        Bytes g;
        switch (i % 4) {
            case 0: g = init; break;                                  // replayed init
            case 1: g = init; for (size_t k = 8; k < kShareEnd; ++k) g[k] = static_cast<uint8_t>(rng()); break;
            case 2: g.resize(rng() % 200); for (auto& x : g) x = static_cast<uint8_t>(rng()); break;
            case 3: g.resize(wire::kDataOverhead + rng() % 100); g[0] = 4; g[1] = wire::kVersion; break;  // data-like
        }
        b.receive(g, now);
        if (i % 100 == 0) {  // the session carries frames all along
            a.send(frame(static_cast<uint32_t>(i)), now);
            a.codec->tick(now);
            b.codec->tick(now);
            std::deque<Bytes> to_a;
            to_a.swap(b.out.q);  // b's responses to the flood go to a, which drops them
            for (auto& x : to_a) a.receive(x, now);
            for (auto& x : a.out.q) b.receive(x, now);
            a.out.q.clear();
        }
    }
    EXPECT_EQ(b.frames.size(), 200u);
    // The first replayed init is answered (b answered a's own init before);
    // that answer is not confirmed yet, so the other replays get a cookie
    // (cheap, no curve work) and no answer; shares that are not points are
    // dropped before any budget.
    EXPECT_GT(b.codec->cookies_sent(), 4900u);
    EXPECT_GT(b.dropped(DropReason::Auth), 4900u);
    EXPECT_NE(b.codec->status(now).find("answered=2 "), std::string::npos) << b.codec->status(now);
    EXPECT_TRUE(b.codec->has_session(now));
}

// Forged inits (random bytes: their shares are not points) from the peer's address; the real
// peer's rekeys still get through (they prove they hold the session) and no
// frame is lost.
TEST(SecureCodec, RekeysCompleteDuringAHandshakeFlood) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    const uint64_t before = a.codec->sessions_established() + b.codec->sessions_established();
    End c(1);
    c.codec->tick(now);
    Bytes forged = c.out.q.front();
    std::mt19937 rng(5);
    uint32_t sent = 0;
    for (int t = 0; t < 250; ++t) {  // 25 s
        now += kTick;
        for (int k = 0; k < 200; ++k) {  // 2000 forged inits a second to each end
            for (size_t i = 8; i < kShareEnd; ++i) forged[i] = static_cast<uint8_t>(rng());
            a.receive(forged, now);
            b.receive(forged, now);
        }
        a.codec->tick(now);
        b.codec->tick(now);
        a.send(frame(sent++), now);
        pump(a, b, now);
    }
    EXPECT_EQ(b.frames.size(), sent);
    EXPECT_TRUE(a.codec->has_session(now));
    // One handshake per rekey (2 s, after a first one 7 s in: both ends started at once).
    EXPECT_GE(a.codec->sessions_established() + b.codec->sessions_established(), before + 8);
    EXPECT_GT(a.dropped(DropReason::Auth), 20000u);  // random shares: not points
}

// A peer that is up for as long as it takes `a` to rekey: returns the
// rekey init `a` sent (with a 2 s rekey interval: up to 12 s when a is the
// responder of its session), not yet delivered.
Bytes next_rekey_init(End& a, End& b, uint64_t& now) {
    for (int t = 0; t < 200; ++t) {
        now += kTick;
        a.codec->tick(now);
        for (auto it = a.out.q.begin(); it != a.out.q.end(); ++it)
            if (type_of(*it) == wire::MessageType::HandshakeInit) {
                Bytes init = *it;
                a.out.q.erase(it);
                return init;
            }
        pump(a, b, now);
    }
    ADD_FAILURE() << "no rekey init";
    return {};
}

// (Online guessing with backoff: secure_codec_guess_test.cpp.)

// A spoofer who never sees our replies cannot spend the guess budget: after
// the first unconfirmed answer, inits without our cookie only get cookies,
// and the real peer (which receives them) gets in at once.
TEST(SecureCodecAttacks, SpoofedInitsCannotLockOutTheRealPeer) {
    End b(1);
    uint64_t now = 5 * S;
    End spoofer(1);  // even with the right password: it never sees b's replies
    for (int i = 0; i < 2000; ++i) {
        now += S / 1000;
        End fresh(1);
        fresh.codec->tick(now);
        b.receive(fresh.out.q.front(), now);
        b.out.q.clear();  // the replies go to the real peer's address, not to the spoofer
        b.codec->tick(now);
    }
    EXPECT_NE(b.codec->status(now).find("answered=1 "), std::string::npos) << b.codec->status(now);
    EXPECT_GT(b.codec->cookies_sent(), 1900u);
    End a(1);
    a.codec->tick(now);
    pump(a, b, now);  // init, cookie reply, init with the cookie, response, confirm, keepalive
    EXPECT_TRUE(a.codec->has_session(now)) << b.codec->status(now);
    EXPECT_TRUE(b.codec->has_session(now));
}

// Forged inits arriving between the real peer's rekey init and its
// confirmation cannot push the pending rekey answer out: they may only take
// the places of other unproven answers.
TEST(SecureCodecAttacks, ForgedInitsDoNotPushOutAPendingRekey) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    const Bytes rekey = next_rekey_init(a, b, now);
    ASSERT_FALSE(rekey.empty());
    b.receive(rekey, now);
    std::deque<Bytes> answer;
    answer.swap(b.out.q);
    // An attacker on the path (it sees and follows our cookies) sends more
    // inits than there are pending-answer slots.
    for (int i = 0; i < 10; ++i) {
        End forger(1);
        forger.codec->tick(now);
        for (int round = 0; round < 2; ++round) {
            for (auto& d : forger.out.q) b.receive(d, now);
            forger.out.q.clear();
            for (auto& d : b.out.q) forger.receive(d, now);
            b.out.q.clear();
            forger.out.q.erase(std::remove_if(forger.out.q.begin(), forger.out.q.end(),
                                              [](const Bytes& d) { return type_of(d) != wire::MessageType::HandshakeInit; }),
                               forger.out.q.end());  // no confirmations: it only wants the slots
        }
    }
    const uint64_t before = b.codec->sessions_established();
    for (auto& d : answer) a.receive(d, now);  // the real response: a confirms
    pump(a, b, now);
    EXPECT_EQ(b.codec->sessions_established(), before + 1) << b.codec->status(now);
    a.send(frame(1), now);
    pump(a, b, now);
    EXPECT_EQ(b.frames.size(), 1u);
}

// Recorded rekey inits, replayed (even alternately, as two of them), are
// dropped as replays: they neither get answers nor use up the rekey budget.
TEST(SecureCodecAttacks, ReplayedRekeyInitsAreDropped) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    std::vector<Bytes> recorded;
    for (int i = 0; i < 2; ++i) {
        recorded.push_back(next_rekey_init(a, b, now));
        ASSERT_FALSE(recorded.back().empty());
        b.receive(recorded.back(), now);
        pump(a, b, now);
    }
    const uint64_t established = b.codec->sessions_established();
    b.out.q.clear();
    for (int i = 0; i < 100; ++i) b.receive(recorded[i % 2], now);
    EXPECT_EQ(b.dropped(DropReason::Replay), 100u);
    EXPECT_TRUE(b.out.q.empty());
    const Bytes fresh = next_rekey_init(a, b, now);  // the real one still gets through
    b.receive(fresh, now);
    pump(a, b, now);
    EXPECT_GT(b.codec->sessions_established(), established);
    EXPECT_EQ(b.dropped(DropReason::RateLimited), 0u);
}

// Forged responses to our pending init (only someone who saw it can send
// one) are each a failed guess: dropped as auth, counted, and (within the
// guess budget) the real response still completes the handshake.
TEST(SecureCodecAttacks, ForgedResponsesAreCountedAndDoNotBlockTheRealOne) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    a.codec->tick(now);
    const Bytes init = a.out.q.front();
    a.out.q.clear();
    for (int i = 0; i < 3; ++i) {
        End forger(static_cast<uint8_t>(10 + i));
        forger.receive(init, now);
        for (auto& d : forger.out.q)
            if (type_of(d) == wire::MessageType::HandshakeResponse) a.receive(d, now);
    }
    EXPECT_EQ(a.dropped(DropReason::Auth), 3u);
    EXPECT_NE(a.codec->status(now).find("auth-failed=3"), std::string::npos) << a.codec->status(now);
    b.receive(init, now);
    pump(a, b, now);
    EXPECT_TRUE(a.codec->has_session(now));
    EXPECT_TRUE(b.codec->has_session(now));
}

// Someone on the path who sees our init answers it with forged responses,
// one password guess each (our Confirm would tell it when one is right):
// they draw on the same guess budget as our answers, so after the burst at
// most one is checked per kGuessInterval.
TEST(SecureCodecAttacks, ForgedResponsesDrawOnTheGuessBudget) {
    End a(1);
    uint64_t now = 5 * S;
    Bytes init;
    bool confirmed = false;
    int guess = 0;
    const int seconds = 60;
    for (int t = 0; t < seconds * 10 && !confirmed; ++t) {
        now += kTick;
        a.codec->tick(now);
        for (auto& d : a.out.q)
            if (type_of(d) == wire::MessageType::HandshakeInit) init = d;  // the attacker drops it
        a.out.q.clear();
        for (int k = 0; k < 2 && !init.empty() && !confirmed; ++k) {  // 20 guesses a second
            ++guess;
            End forger(static_cast<uint8_t>(2 + guess % 250));  // never the right password
            forger.receive(init, now);
            for (auto& d : forger.out.q)
                if (type_of(d) == wire::MessageType::HandshakeResponse) a.receive(d, now);
            for (auto& d : a.out.q) confirmed |= type_of(d) == wire::MessageType::HandshakeConfirm;
        }
    }
    EXPECT_FALSE(confirmed);
    EXPECT_GT(guess, 1000);
    EXPECT_LE(a.dropped(DropReason::Auth), wire::kGuessBurst + seconds * S / wire::kGuessInterval + 1);
    EXPECT_GT(a.dropped(DropReason::RateLimited), 1000u);
}

// An off-path spoofer floods both ends, as the other end, with inits whose
// shares are not points: they cost no budget at all, and a restarted peer
// gets back in.
TEST(SecureCodecAttacks, JunkShareFloodDoesNotLockOutARestartedPeer) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    std::mt19937 rng(1);
    auto junk = [&] {
        Bytes g(wire::kInitSize, 0);
        g[0] = 1;
        g[1] = wire::kVersion;
        for (size_t i = 4; i < wire::kInitMacOffset; ++i) g[i] = static_cast<uint8_t>(rng());
        g[16] = 0x04;  // uncompressed, but not on the curve
        return g;
    };
    End a2(1);  // a restarts
    bool up = false;
    for (int t = 0; t < 600 && !up; ++t) {  // 60 s at most
        now += kTick;
        for (int k = 0; k < 100; ++k) {  // 1000 a second at each end
            b.receive(junk(), now);
            a2.receive(junk(), now);
        }
        a2.codec->tick(now);
        b.codec->tick(now);
        pump(a2, b, now);
        up = a2.codec->has_session(now) && a2.codec->sessions_established() > 0;
    }
    EXPECT_TRUE(up) << b.codec->status(now) << a2.codec->status(now);
    EXPECT_EQ(b.dropped(DropReason::RateLimited), 0u);
}

// (Cookies under attack: secure_codec_cookie_test.cpp.)

}  // namespace
}  // namespace tvpn
