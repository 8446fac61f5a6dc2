// Cookies under attack, in process (docs/PROTOCOL.md, "Cookies"). A
// CookieReply is unauthenticated, so its effect is bounded: it must name an
// Init of our pending run (index and digest), it is ignored for a rekey (a
// proven Init never needs a cookie), it costs at most one retry per run, and
// a cookie that got an Init answered is kept over later (maybe forged) ones.
#include <gtest/gtest.h>

#include <random>

#include "common/pwd/secure_codec.h"
#include "tests/unit/secure_codec_path.h"

namespace tvpn {
namespace {

using namespace test;

constexpr uint64_t kMs = S / 1000;

// One spoofed init, answered and never confirmed, puts `b` under load (cookies required).
void put_under_load(End& b, uint64_t now) {
    End spoofer(1);
    spoofer.codec->tick(now);
    b.receive(spoofer.out.q.front(), now);
    b.out.q.clear();
}

// An init stamped with our cookie, recorded and replayed, is answered once:
// replays neither get answers nor spend the guess budget.
TEST(SecureCodecCookies, ReplayedCookieStampedInitIsAnsweredOnce) {
    End b(1);
    uint64_t now = 5 * S;
    put_under_load(b, now);
    End a(1);
    a.codec->tick(now);
    Bytes recorded;
    for (int round = 0; round < 10 && (!a.out.q.empty() || !b.out.q.empty()); ++round) {
        std::deque<Bytes> qa, qb;
        qa.swap(a.out.q);
        qb.swap(b.out.q);
        for (auto& d : qa) {
            if (type_of(d) == wire::MessageType::HandshakeInit && (d[wire::kInitCookieOffset] | d[wire::kInitCookieOffset + 1]))
                recorded = d;
            b.receive(d, now);
        }
        for (auto& d : qb) a.receive(d, now);
    }
    ASSERT_FALSE(recorded.empty());
    ASSERT_TRUE(a.codec->has_session(now));
    uint64_t responses = 0;
    for (int t = 0; t < 100; ++t) {  // 10 s of replays
        now += kTick;
        b.receive(recorded, now);
        for (auto& d : b.out.q) responses += type_of(d) == wire::MessageType::HandshakeResponse;
        b.out.q.clear();
        b.codec->tick(now);
    }
    EXPECT_EQ(responses, 0u);
    EXPECT_EQ(b.dropped(DropReason::Replay), 100u);
}

// A CookieReply for our pending Init as an on-path attacker makes it: the
// right index and digest (it saw the Init), a cookie of its own.
Bytes forged_reply(const Bytes& init, uint8_t fill) {
    std::array<uint8_t, wire::kInitDigestSize> digest;
    EXPECT_TRUE(init_digest(std::span<const uint8_t, wire::kInitSize>(init.data(), wire::kInitSize), digest));
    Cookie cookie;
    cookie.fill(fill);
    auto m = wire::make_cookie_reply(wire::load_le32(init.data() + wire::kHeaderSize), cookie, digest);
    return Bytes(m.begin(), m.end());
}

size_t inits_in(const std::deque<Bytes>& q) {
    return static_cast<size_t>(std::count_if(q.begin(), q.end(), [](const Bytes& d) {
        return type_of(d) == wire::MessageType::HandshakeInit;
    }));
}

// A reply must name an Init we sent: one with another digest (for another
// Init, or replayed from an earlier run with the index patched) is refused
// and costs nothing; a matching one gets one retry, with a new index; any
// more get none.
TEST(SecureCodecCookies, AReplyMustNameOurInitAndGetsOneRetry) {
    End a(1);
    uint64_t now = 5 * S;
    a.codec->tick(now);
    const Bytes init = a.out.q.front();
    a.out.q.clear();
    Bytes other = init;
    other[30] ^= 1;  // another Init (another share)
    EXPECT_EQ(a.receive(forged_reply(other, 7), now).reason, DropReason::NoSession);
    EXPECT_TRUE(a.out.q.empty());
    ASSERT_EQ(a.receive(forged_reply(init, 7), now).verdict, OpenVerdict::Consumed);
    ASSERT_EQ(inits_in(a.out.q), 1u);
    const Bytes retry = a.out.q.front();
    DropReason why;
    auto r = wire::parse_init(retry, why), o = wire::parse_init(init, why);
    ASSERT_TRUE(r && o);
    EXPECT_NE(r->sender_index, o->sender_index);
    EXPECT_TRUE(std::equal(r->share.begin(), r->share.end(), o->share.begin()));
    EXPECT_FALSE(wire::all_zero(r->cookie_mac));
    a.out.q.clear();
    a.receive(forged_reply(init, 8), now);
    a.receive(forged_reply(retry, 9), now);  // a reply to the retry is for our run too, but no second retry
    EXPECT_TRUE(a.out.q.empty());
}

// A rekey Init proves the session: the real peer never answers it with a
// cookie, so a reply to it is ignored (no retry, and the cookie is not kept).
TEST(SecureCodecCookies, RepliesToARekeyInitAreIgnored) {
    End a(1, 2 * S), b(1, 2 * S);
    uint64_t now = 5 * S;
    connect(a, b, now);
    Bytes rekey;
    for (int t = 0; t < 200 && rekey.empty(); ++t) {
        now += kTick;
        a.codec->tick(now);
        for (auto& d : a.out.q)
            if (type_of(d) == wire::MessageType::HandshakeInit) rekey = d;
        if (rekey.empty()) pump(a, b, now);
    }
    ASSERT_FALSE(rekey.empty());
    DropReason why;
    ASSERT_FALSE(wire::all_zero(wire::parse_init(rekey, why)->session_mac));
    a.out.q.clear();
    EXPECT_EQ(a.receive(forged_reply(rekey, 7), now).reason, DropReason::NoSession);
    EXPECT_TRUE(a.out.q.empty());
    b.receive(rekey, now);
    pump(a, b, now);  // the rekey completes as if nothing happened
    // b goes away; once a's session expires, its Init proves nothing and carries no cookie.
    for (int t = 0; t < 300; ++t) {
        now += kTick;
        a.codec->tick(now);
        if (!a.codec->has_session(now)) break;
        a.out.q.clear();
    }
    ASSERT_GE(inits_in(a.out.q), 1u);
    for (auto& d : a.out.q) {
        if (type_of(d) != wire::MessageType::HandshakeInit) continue;
        EXPECT_TRUE(wire::all_zero(wire::parse_init(d, why)->cookie_mac));
    }
}

// `b` stays under load: an Init from a spoofer (a fresh share, never
// confirmed) reaches it at every tick.
class LoadSpoofer {
public:
    explicit LoadSpoofer(size_t n) {
        for (size_t i = 0; i < n; ++i) {
            End e(1);
            e.codec->tick(5 * S);
            inits_.push_back(e.out.q.front());
        }
    }
    void tick(End& b, uint64_t now) { b.receive(inits_[next_++ % inits_.size()], now); }

private:
    std::vector<Bytes> inits_;
    size_t next_ = 0;
};

// An attacker on the path answers each of a's Inits with a forged cookie
// before the real reply arrives, and sends another after each real reply, so
// the latest cookie a holds is always forged. `b` is under load, so a needs a
// good cookie. a got in once with a real cookie (which worked), but its
// confirmation was lost: its next handshake proves nothing and still gets in,
// on the cookie that worked.
TEST(SecureCodecCookies, ForgedCookiesDoNotReplaceOneThatWorked) {
    End a(1), b(1);
    Path path(a, b, 5 * kMs, 5 * S);
    LoadSpoofer spoofer(400);
    spoofer.tick(b, path.now());  // answered: b is under load from now on
    b.out.q.clear();
    bool before = false;
    uint8_t fill = 0x40;
    path.set_observer([&](int from, const Bytes& d, uint64_t) {
        if (from == 0 && before && type_of(d) == wire::MessageType::HandshakeInit) path.inject(0, forged_reply(d, ++fill));
        if (from == 1 && type_of(d) == wire::MessageType::CookieReply) {
            Bytes f = d;  // the same index and digest, another cookie
            std::fill(f.begin() + wire::kHeaderSize + wire::kIndexSize,
                      f.begin() + wire::kHeaderSize + wire::kIndexSize + wire::kCookieSize, ++fill);
            path.inject(0, f);
        }
    });
    const uint64_t start = path.now();
    path.set_filter([&](int from, const Bytes& d) {
        if (from == 1) return type_of(d) != wire::MessageType::HandshakeInit;  // only a's handshakes get through
        // a's confirmations are lost until it gives its first session up (5 s)
        return !(type_of(d) == wire::MessageType::HandshakeConfirm && path.now() < start + 4500 * kMs);
    });
    path.set_on_tick([&](uint64_t now) {
        spoofer.tick(b, now);
        if (a.codec->sessions_established() > 0) before = true;
    });
    path.run_until(start + 2 * S);
    ASSERT_EQ(a.codec->sessions_established(), 1u) << a.codec->status(path.now()) << b.codec->status(path.now());
    ASSERT_EQ(b.codec->sessions_established(), 0u);  // its confirmation was lost
    path.run_until(start + 40 * S);
    EXPECT_TRUE(a.codec->has_session(path.now()) && b.codec->has_session(path.now()))
        << a.codec->status(path.now()) << b.codec->status(path.now());
    EXPECT_GE(b.codec->sessions_established(), 1u);
}

// An attacker on the path that answers each Init with forged cookies before
// the real reply costs one retry per run: the real reply's cookie is kept, the
// next run carries it and gets in.
TEST(SecureCodecCookies, ForgedCookiesBeforeTheRealOneCostOneRetry) {
    End a(1), b(1);
    Path path(a, b, 5 * kMs, 5 * S);
    LoadSpoofer spoofer(100);
    spoofer.tick(b, path.now());
    b.out.q.clear();
    uint8_t fill = 0x40;
    size_t inits = 0;
    path.set_observer([&](int from, const Bytes& d, uint64_t) {
        if (from != 0 || type_of(d) != wire::MessageType::HandshakeInit) return;
        ++inits;
        for (int k = 0; k < 10; ++k) path.inject(0, forged_reply(d, ++fill));
    });
    path.set_on_tick([&](uint64_t now) { spoofer.tick(b, now); });
    const uint64_t start = path.now();
    path.run_until(start + 10 * S);
    EXPECT_TRUE(a.codec->has_session(path.now()) && b.codec->has_session(path.now()))
        << a.codec->status(path.now()) << b.codec->status(path.now());
    EXPECT_LE(inits, 2 * a.codec->handshakes_initiated());  // at most one retry per run
}

}  // namespace
}  // namespace tvpn
