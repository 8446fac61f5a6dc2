// Two -pwd codecs talking to each other in process, through fake control
// sinks and an injected clock: handshake, data both ways, tampering, replay,
// reordering, rekeying without loss, a peer restart, a wrong password, a lost
// confirmation (floods and attacks on the handshake: secure_codec_dos_test.cpp).
#include "common/pwd/secure_codec.h"

#include <gtest/gtest.h>

#include <random>

#include "common/crypto/aead.h"
#include "tests/unit/secure_codec_path.h"

namespace tvpn {
namespace {

using namespace test;

TEST(SecureCodec, HandshakeThenFramesBothWays) {
    End a(1), b(1);
    uint64_t now = 1000 * S;
    connect(a, b, now);
    ASSERT_TRUE(a.codec->has_session(now));
    ASSERT_TRUE(b.codec->has_session(now));
    for (uint32_t i = 0; i < 50; ++i) {
        ASSERT_EQ(a.send(frame(i), now), SealVerdict::Send);
        ASSERT_EQ(b.send(frame(1000 + i, 60 + i), now), SealVerdict::Send);
    }
    pump(a, b, now);
    ASSERT_EQ(b.frames.size(), 50u);
    ASSERT_EQ(a.frames.size(), 50u);
    for (uint32_t i = 0; i < 50; ++i) {
        EXPECT_EQ(b.frames[i], frame(i));
        EXPECT_EQ(a.frames[i], frame(1000 + i, 60 + i));
    }
    EXPECT_EQ(a.total_drops() + b.total_drops(), 0u);
}

TEST(SecureCodec, DatagramsDoNotCarryThePlaintext) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    Bytes f(200, 0);
    std::memcpy(f.data() + 20, "MARKER-MARKER-MARKER", 20);
    ASSERT_EQ(a.send(f, now), SealVerdict::Send);
    const Bytes& d = a.out.q.back();
    EXPECT_EQ(d.size(), f.size() + wire::kDataOverhead);
    EXPECT_EQ(std::search(d.begin(), d.end(), f.begin() + 20, f.begin() + 40), d.end());
}

TEST(SecureCodec, FramesBeforeTheHandshakeAreHeldThenSent) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(a.send(frame(i), now), SealVerdict::Held);
    EXPECT_TRUE(a.out.q.empty());
    connect(a, b, now);
    ASSERT_EQ(b.frames.size(), 3u);
    EXPECT_EQ(b.frames[2], frame(2));
    for (uint32_t i = 0; i < SecureCodec::kHeldFrames + 2; ++i) {
        End c(1);
        (void)c;
    }
}

TEST(SecureCodec, EveryTamperedByteIsDroppedAndCountedOnce) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    ASSERT_EQ(a.send(frame(7, 120), now), SealVerdict::Send);
    const Bytes good = a.out.q.back();
    a.out.q.clear();
    uint64_t drops = 0;
    for (size_t i = 0; i < good.size(); ++i) {
        for (uint8_t bit : {0x01, 0x80}) {
            Bytes bad = good;
            bad[i] ^= bit;
            OpenResult r = b.receive(bad, now);
            ASSERT_EQ(r.verdict, OpenVerdict::Drop) << "byte " << i;
            ++drops;
        }
    }
    EXPECT_EQ(b.total_drops(), drops);
    EXPECT_GT(b.dropped(DropReason::Auth), 0u);
    EXPECT_GT(b.dropped(DropReason::BadVersion), 0u);   // type and version bytes
    EXPECT_GT(b.dropped(DropReason::NoSession), 0u);    // receiver index
    EXPECT_TRUE(b.frames.empty());
    // The original still opens: tampering did not advance the replay window.
    EXPECT_EQ(b.receive(good, now).verdict, OpenVerdict::Frame);
}

TEST(SecureCodec, ReplaysAndDuplicatesAreDropped) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    a.send(frame(1), now);
    const Bytes d = a.out.q.back();
    pump(a, b, now);
    EXPECT_EQ(b.frames.size(), 1u);
    EXPECT_EQ(b.receive(d, now).verdict, OpenVerdict::Drop);
    EXPECT_EQ(b.receive(d, now).verdict, OpenVerdict::Drop);
    EXPECT_EQ(b.dropped(DropReason::Replay), 2u);
    EXPECT_EQ(b.frames.size(), 1u);
}

TEST(SecureCodec, ReorderingWithinTheWindowIsAcceptedOlderIsNot) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    std::vector<Bytes> sent;
    const size_t n = crypto::ReplayWindow::kWindowSize + 10;
    for (uint32_t i = 0; i < n; ++i) {
        a.send(frame(i, 60), now);
        sent.push_back(a.out.q.back());
    }
    a.out.q.clear();
    std::mt19937 rng(7);
    // Newest first, then the last window's worth shuffled: all delivered.
    b.receive(sent.back(), now);
    std::vector<Bytes> recent(sent.end() - crypto::ReplayWindow::kWindowSize, sent.end() - 1);
    std::shuffle(recent.begin(), recent.end(), rng);
    for (auto& d : recent) ASSERT_EQ(b.receive(d, now).verdict, OpenVerdict::Frame);
    // Anything older than the window (counters 0..8 here) is refused as a replay.
    for (size_t i = 0; i < 9; ++i) EXPECT_EQ(b.receive(sent[i], now).verdict, OpenVerdict::Drop);
    EXPECT_EQ(b.dropped(DropReason::Replay), 9u);
    EXPECT_EQ(b.receive(sent[9], now).verdict, OpenVerdict::Frame);  // exactly at the window's edge
    EXPECT_EQ(b.frames.size(), crypto::ReplayWindow::kWindowSize + 1);
}

// Traffic flows both ways every tick for 20 s with a 2 s rekey interval; some
// datagrams stay in flight across each rekey. Nothing is lost or dropped.
TEST(SecureCodec, RekeysWithoutLosingFramesInFlight) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 100 * S;
    connect(a, b, now);
    uint32_t sent = 0;
    std::deque<Bytes> in_flight;
    for (int t = 0; t < 200; ++t) {
        now += kTick;
        a.codec->tick(now);
        b.codec->tick(now);
        for (int k = 0; k < 3; ++k) {
            ASSERT_EQ(a.send(frame(sent++), now), SealVerdict::Send);
            in_flight.push_back(a.out.q.back());  // a's data, delivered one tick late
            a.out.q.pop_back();
            b.send(frame(5000 + t * 3 + k), now);
        }
        pump(a, b, now);
        while (in_flight.size() > 3) {
            b.receive(in_flight.front(), now);
            in_flight.pop_front();
        }
    }
    for (auto& d : in_flight) b.receive(d, now);
    for (size_t r = 0; r < b.drops.size(); ++r)
        if (a.drops[r] || b.drops[r])
            ADD_FAILURE() << drop_reason_name(static_cast<DropReason>(r)) << ": a " << a.drops[r] << ", b " << b.drops[r];
    EXPECT_EQ(b.frames.size(), sent);
    EXPECT_EQ(a.frames.size(), 600u);
    EXPECT_EQ(a.total_drops(), 0u);
    EXPECT_EQ(b.total_drops(), 0u);
    // Both started at once; the first rekey 7 s in, then one per 2 s.
    EXPECT_GE(a.codec->sessions_established(), 6u) << a.codec->status(now) << b.codec->status(now);
    EXPECT_GE(b.codec->sessions_established(), 6u);
}

// With a round trip above the 100 ms tick, the initiator's new session
// waits a round trip for the peer's acknowledgement: still the same
// handshake, so each rekey runs exactly one handshake, not two.
TEST(SecureCodec, OneHandshakePerRekeyWithALongRoundTrip) {
    End a(1, 10 * S), b(1, 10 * S);
    Path path(a, b, 150 * S / 1000, 5 * S);  // 300 ms round trip
    uint32_t sent_a = 0, sent_b = 0;
    bool sending = true;
    path.set_on_tick([&](uint64_t now) {
        if (!sending) return;
        a.send(frame(sent_a++), now);
        b.send(frame(100000 + sent_b++), now);
    });
    const uint64_t minutes = 2, start = path.now();
    path.run_until(start + minutes * 60 * S);
    sending = false;
    // Stop just after a rekey completed (the next one is 10 s away), so that
    // none is half done when we count.
    auto established = [&] { return a.codec->sessions_established() + b.codec->sessions_established(); };
    for (const uint64_t e = established(); established() == e && path.now() < start + (minutes * 60 + 20) * S;)
        path.run_until(path.now() + kTick);
    path.run_until(path.now() + S);
    const uint64_t handshakes = established() / 2;
    const std::string st = a.codec->status(path.now()) + b.codec->status(path.now());
    // Every Init sent was one handshake: none ran twice, none crossed another.
    EXPECT_EQ(a.codec->handshakes_initiated() + b.codec->handshakes_initiated(), handshakes) << st;
    // Both ends start one at once; then one per rekey interval.
    EXPECT_LE(handshakes, 2 + minutes * 60 / 10) << st;
    EXPECT_GE(handshakes, minutes * 60 / 10) << st;
    EXPECT_EQ(b.frames.size(), sent_a);
    EXPECT_EQ(a.frames.size(), sent_b);
}

// Both ends start a rekey at the same moment (their Inits cross): one gives
// its run up, so one handshake completes, and from then on only one end
// initiates (else both would, at once, at every rekey).
TEST(SecureCodec, CrossingRekeysEndWithOneInitiator) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    Bytes init[2];
    End* ends[2] = {&a, &b};
    for (int t = 0; t < 200 && (init[0].empty() || init[1].empty()); ++t) {  // each end's pending rekey Init
        now += kTick;
        for (int i = 0; i < 2; ++i) {
            ends[i]->codec->tick(now);
            auto& q = ends[i]->out.q;
            for (auto it = q.begin(); it != q.end();) {
                if (type_of(*it) == wire::MessageType::HandshakeInit) {
                    init[i] = *it;
                    it = q.erase(it);
                } else {
                    ++it;
                }
            }
        }
        pump(a, b, now);
    }
    ASSERT_FALSE(init[0].empty() || init[1].empty());
    const uint64_t before = a.codec->sessions_established() + b.codec->sessions_established();
    b.receive(init[0], now);
    a.receive(init[1], now);
    pump(a, b, now);
    EXPECT_EQ(a.codec->sessions_established() + b.codec->sessions_established(), before + 2);
    uint64_t inits[2] = {0, 0};
    for (int t = 0; t < 300; ++t) {
        now += kTick;
        a.codec->tick(now);
        b.codec->tick(now);
        for (int i = 0; i < 2; ++i)
            for (auto& d : ends[i]->out.q) inits[i] += type_of(d) == wire::MessageType::HandshakeInit;
        pump(a, b, now);
    }
    EXPECT_GE(inits[0] + inits[1], 10u);
    EXPECT_EQ(std::min(inits[0], inits[1]), 0u) << inits[0] << " " << inits[1];
}

TEST(SecureCodec, RestartedPeerIsBackInOneHandshake) {
    End a(1);
    auto b = std::make_unique<End>(1);
    uint64_t now = 5 * S;
    connect(a, *b, now);
    a.send(frame(1), now);
    pump(a, *b, now);
    ASSERT_EQ(b->frames.size(), 1u);
    b = std::make_unique<End>(1);  // restart: new instance, no keys
    now += S;
    a.send(frame(2), now);  // old session: the new b cannot read it
    pump(a, *b, now);
    EXPECT_EQ(b->dropped(DropReason::NoSession), 1u);
    b->codec->tick(now);  // its first tick handshakes
    pump(a, *b, now);
    ASSERT_TRUE(b->codec->has_session(now));
    a.send(frame(3), now);
    b->send(frame(4), now);
    pump(a, *b, now);
    ASSERT_EQ(b->frames.size(), 1u);
    EXPECT_EQ(b->frames[0], frame(3));
    EXPECT_EQ(a.frames.back(), frame(4));
}

// Both ends see the other fail, one line per failed run that names the
// source (fail2ban counts them), as many as the guess budget allows.
TEST(SecureCodec, WrongPasswordNeverCarriesAFrameAndSaysSo) {
    testing::internal::CaptureStderr();
    uint64_t failed_runs = 0;
    {
        End a(1, wire::kRekeyAfterTime, Logger::Sink::Stderr), b(2, wire::kRekeyAfterTime, Logger::Sink::Stderr);
        uint64_t now = 5 * S;
        a.send(frame(1), now);
        for (int t = 0; t < 100; ++t, now += kTick) {
            a.codec->tick(now);
            b.codec->tick(now);
            pump(a, b, now);
        }
        EXPECT_FALSE(a.codec->has_session(now));
        EXPECT_FALSE(b.codec->has_session(now));
        EXPECT_TRUE(a.frames.empty());
        EXPECT_TRUE(b.frames.empty());
        EXPECT_GT(a.dropped(DropReason::Auth), 0u);
        EXPECT_GT(b.dropped(DropReason::Auth), 0u);
        for (End* e : {&a, &b}) {
            EXPECT_GT(e->codec->answers_unconfirmed(), 0u);
            failed_runs += e->codec->answers_unconfirmed() + e->dropped(DropReason::Auth);
        }
    }
    const std::string err = testing::internal::GetCapturedStderr();
    const std::string line = "tvpn: authentication failed from 198.51.100.2 port 4000 on test tunnel: ";
    EXPECT_EQ(lines_with(err, line), failed_runs) << err;
    EXPECT_GE(lines_with(err, line + "the handshake response did not verify (wrong password?)"), 2u) << err;
    EXPECT_GE(lines_with(err, line + "a handshake we answered was never confirmed"), 2u) << err;
    // Bounded by the guess budget: its burst and what refills in 10 s, at each end.
    EXPECT_LE(failed_runs, 2 * (wire::kGuessBurst + 1)) << err;
}

TEST(SecureCodec, LostConfirmationIsResent) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    a.codec->tick(now);  // a initiates; b stays quiet (its first tick comes later)
    b.receive(a.out.q.front(), now);
    a.out.q.clear();
    a.receive(b.out.q.front(), now);  // the response: a sends its confirmation...
    b.out.q.clear();
    ASSERT_EQ(a.out.q.size(), 1u);
    a.out.q.clear();  // ... which is lost
    EXPECT_FALSE(b.codec->has_session(now));
    now += 1200 * S / 1000;
    a.codec->tick(now);  // resends it
    pump(a, b, now);
    ASSERT_TRUE(b.codec->has_session(now));
    a.send(frame(9), now);
    pump(a, b, now);
    ASSERT_EQ(b.frames.size(), 1u);
}

TEST(SecureCodec, ReflectedHandshakeIsRefused) {
    End a(1);
    uint64_t now = 5 * S;
    a.codec->tick(now);
    ASSERT_EQ(a.out.q.size(), 1u);
    const Bytes init = a.out.q.front();
    a.out.q.clear();
    EXPECT_EQ(a.receive(init, now).verdict, OpenVerdict::Drop);
    EXPECT_TRUE(a.out.q.empty());
}

// (The daemon logs the state changes from metrics(): vnddvpnd/peer_event_log.h.)
TEST(SecureCodec, VanishedPeerShowsInStatusAndMetrics) {
    End a(1), b(1);
    uint64_t now = 5 * S;
    connect(a, b, now);
    EXPECT_NE(a.codec->status(now).find("peer: responding"), std::string::npos);
    for (int t = 0; t < 400; ++t) {  // 40 s with b gone
        now += kTick;
        a.codec->tick(now);
        a.out.q.clear();
    }
    const std::string st = a.codec->status(now);
    EXPECT_NE(st.find("NOT RESPONDING"), std::string::npos) << st;
    EXPECT_NE(st.find("last authenticated packet"), std::string::npos);
    EXPECT_EQ(a.codec->metrics(now).state, PeerState::NotResponding);
    const uint64_t completed = a.codec->metrics(now).handshakes.completed;
    End back(1);  // the peer returns (restarted): one handshake and it is responding again
    back.codec->tick(now);
    pump(a, back, now);
    EXPECT_TRUE(a.codec->has_session(now));
    EXPECT_NE(a.codec->status(now).find("peer: responding"), std::string::npos) << a.codec->status(now);
    const CodecMetrics m = a.codec->metrics(now);
    EXPECT_EQ(m.state, PeerState::Up);
    EXPECT_GT(m.handshakes.completed, completed);
    EXPECT_EQ(m.last_handshake_ns, now);
}

TEST(SecureCodec, SessionsExpireWithoutRekey) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    ASSERT_TRUE(a.codec->has_session(now));
    now += wire::reject_after(2 * S) + S;  // nobody ticked: no rekey happened
    EXPECT_FALSE(a.codec->has_session(now));
    EXPECT_EQ(a.send(frame(1), now), SealVerdict::Held);
}

}  // namespace
}  // namespace tvpn
