// The -pwd codec over a path with a smaller MTU than its frames need: probes
// find the path MTU, frames too large for it arrive whole as fragments, and
// a path that shrinks is noticed and followed.
#include <gtest/gtest.h>

#include "tests/unit/secure_codec_path.h"

namespace tvpn::test {
namespace {

constexpr uint64_t kMs = S / 1000;
constexpr size_t kIpv4 = 28;
constexpr size_t kLargestFrame = 1500 + 18;

// A path that carries IP packets of at most `mtu` bytes (what it cannot carry is lost).
struct MtuPath {
    End a{1}, b{1};
    uint32_t mtu;
    Path path;
    explicit MtuPath(uint32_t m) : mtu(m), path(a, b, 5 * kMs, 5 * S) {
        for (End* e : {&a, &b}) e->codec->set_path(kLargestFrame, kIpv4);
        path.set_filter([this](int, const Bytes& d) { return d.size() + kIpv4 <= mtu; });
    }
};

TEST(SecureCodecFragments, ProbesFindThePathMtu) {
    MtuPath p(1400);
    p.path.run_until(p.path.now() + 40 * S);
    ASSERT_TRUE(p.a.codec->has_session(p.path.now()));
    const uint32_t found = p.a.codec->path_mtu().current();
    EXPECT_LE(found, 1400u);
    EXPECT_GE(found, 1400u - PathMtu::kGranularity);
    EXPECT_EQ(p.a.codec->max_whole_frame(), found - kIpv4 - wire::kDataOverhead);
    EXPECT_NE(p.a.codec->status(p.path.now()).find("path MTU: " + std::to_string(found) + " (complete"),
              std::string::npos)
        << p.a.codec->status(p.path.now());
}

TEST(SecureCodecFragments, AFrameTooLargeForThePathArrivesWholeInFragments) {
    MtuPath p(1280);
    p.path.run_until(p.path.now() + 30 * S);
    ASSERT_TRUE(p.a.codec->has_session(p.path.now()));
    const Bytes big = frame(7, kLargestFrame), small = frame(8, 200);
    const auto drops_before = p.b.drops;  // (the handshakes' race may have cost a datagram)
    EXPECT_EQ(p.a.send(big, p.path.now()), SealVerdict::Sent);
    EXPECT_EQ(p.a.send(small, p.path.now()), SealVerdict::Send);
    for (const Bytes& d : p.a.out.q) EXPECT_LE(d.size() + kIpv4, 1280u);  // nothing the path would lose
    p.path.run_until(p.path.now() + S);
    ASSERT_EQ(p.b.frames.size(), 2u);
    EXPECT_EQ(p.b.frames[0], big);
    EXPECT_EQ(p.b.frames[1], small);
    EXPECT_EQ(p.a.codec->fragments_sent(), 2u);
    EXPECT_EQ(p.b.codec->reassembly().completed, 1u);
    for (size_t r = 0; r < p.b.drops.size(); ++r)
        EXPECT_EQ(p.b.drops[r], drops_before[r]) << drop_reason_name(static_cast<DropReason>(r));
}

TEST(SecureCodecFragments, APathThatShrinksIsNoticedAndFollowed) {
    MtuPath p(1500);
    p.path.run_until(p.path.now() + 40 * S);
    const uint32_t before = p.a.codec->path_mtu().current();
    EXPECT_GE(before, 1500u - PathMtu::kGranularity);
    p.mtu = 1280;  // a failover to a narrower link; its ICMP never reaches us
    p.path.run_until(p.path.now() + PathMtu::kConfirmInterval + 5 * S);
    EXPECT_EQ(p.a.codec->path_mtu().current(), PathMtu::kBase);
    EXPECT_GE(p.a.codec->path_mtu().black_holes(), 1u);
    const Bytes big = frame(9, kLargestFrame);
    EXPECT_EQ(p.a.send(big, p.path.now()), SealVerdict::Sent);
    p.path.run_until(p.path.now() + S);
    ASSERT_FALSE(p.b.frames.empty());
    EXPECT_EQ(p.b.frames.back(), big);
    p.mtu = 1500;  // and back: found again within the raise interval
    p.path.run_until(p.path.now() + PathMtu::kRaiseInterval + 20 * S);
    EXPECT_GE(p.a.codec->path_mtu().current(), 1500u - PathMtu::kGranularity);
}

TEST(SecureCodecFragments, AForgedFragmentIsRefusedBeforeReassembly) {
    MtuPath p(1280);
    p.path.run_until(p.path.now() + 30 * S);
    ASSERT_EQ(p.a.send(frame(1, kLargestFrame), p.path.now()), SealVerdict::Sent);
    ASSERT_FALSE(p.a.out.q.empty());
    Bytes forged = p.a.out.q.front();
    p.a.out.q.clear();
    forged[wire::kDataHeaderSize + 20] ^= 1;  // inside the sealed piece
    p.b.receive(forged, p.path.now());
    EXPECT_EQ(p.b.dropped(DropReason::Auth), 1u);
    EXPECT_EQ(p.b.codec->reassembly().completed + p.b.codec->reassembly().malformed, 0u);
}

}  // namespace
}  // namespace tvpn::test
