#include "common/pwd/fragment_reassembly.h"

#include <gtest/gtest.h>

#include <vector>

namespace tvpn {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint64_t kMs = 1'000'000;

Bytes frame_of(size_t n, uint8_t seed) {
    Bytes f(n);
    for (size_t i = 0; i < n; ++i) f[i] = uint8_t(seed + i * 7);
    return f;
}

struct Piece {
    FragmentHeader h;
    Bytes bytes;
};

// Cuts `f` into pieces of `size` bytes (a multiple of the unit), as a sender does.
std::vector<Piece> cut(const Bytes& f, uint32_t id, size_t size) {
    std::vector<Piece> out;
    for (size_t off = 0; off < f.size(); off += size) {
        const size_t n = std::min(size, f.size() - off);
        out.push_back({{id, uint16_t(f.size()), uint16_t(off)}, Bytes(f.begin() + long(off), f.begin() + long(off + n))});
    }
    return out;
}

FragmentReassembly::Added add(FragmentReassembly& r, const Piece& p, uint64_t now, Bytes* whole = nullptr,
                              uint32_t session = 1) {
    std::span<const uint8_t> frame;
    const auto a = r.add(session, p.h, p.bytes, now, frame);
    if (a == FragmentReassembly::Added::Complete && whole) whole->assign(frame.begin(), frame.end());
    return a;
}

using A = FragmentReassembly::Added;

TEST(FragmentReassembly, PiecesInOrderGiveTheFrameBack) {
    FragmentReassembly r;
    const Bytes f = frame_of(1518, 3);
    auto pieces = cut(f, 7, 1200);
    Bytes got;
    EXPECT_EQ(add(r, pieces[0], 0), A::Incomplete);
    EXPECT_EQ(add(r, pieces[1], kMs, &got), A::Complete);
    EXPECT_EQ(got, f);
    EXPECT_EQ(r.in_flight(), 0u);
    EXPECT_EQ(r.stats().completed, 1u);
}

TEST(FragmentReassembly, PiecesInAnyOrderGiveTheFrameBack) {
    FragmentReassembly r;
    const Bytes f = frame_of(9018, 9);
    auto pieces = cut(f, 1, 1216);
    std::vector<size_t> order{7, 2, 0, 5, 1, 6, 3, 4};
    Bytes got;
    for (size_t k = 0; k < order.size(); ++k)
        EXPECT_EQ(add(r, pieces[order[k]], 0, &got), k + 1 < order.size() ? A::Incomplete : A::Complete);
    EXPECT_EQ(got, f);
}

TEST(FragmentReassembly, DuplicateAndOverlappingPiecesAreDropped) {
    FragmentReassembly r;
    const Bytes f = frame_of(3000, 1);
    auto pieces = cut(f, 1, 1000);
    EXPECT_EQ(add(r, pieces[0], 0), A::Incomplete);
    EXPECT_EQ(add(r, pieces[0], 0), A::Dropped);
    Piece overlap{{1, 3000, 992}, Bytes(16, 0xee)};
    EXPECT_EQ(add(r, overlap, 0), A::Dropped);
    EXPECT_EQ(r.stats().duplicates, 2u);
    Bytes got;
    add(r, pieces[1], 0);
    EXPECT_EQ(add(r, pieces[2], 0, &got), A::Complete);
    EXPECT_EQ(got, f);  // the overlapping bytes never got in
}

TEST(FragmentReassembly, ImpossiblePiecesAreMalformed) {
    FragmentReassembly r;
    const std::vector<Piece> bad{
        {{1, 2000, 4}, Bytes(8, 0)},        // unaligned offset
        {{1, 2000, 0}, Bytes(13, 0)},       // a short piece that is not the last
        {{1, 2000, 1992}, Bytes(16, 0)},    // past the end
        {{1, 9019, 0}, Bytes(8, 0)},        // frame too large
        {{1, 10, 0}, Bytes(10, 0)},         // frame too small
        {{1, 2000, 0}, Bytes()},            // empty
    };
    for (const auto& p : bad) EXPECT_EQ(add(r, p, 0), A::Dropped);
    EXPECT_EQ(r.stats().malformed, bad.size());
    EXPECT_EQ(r.in_flight(), 0u);
    add(r, {{2, 2000, 0}, Bytes(1000, 0)}, 0);
    EXPECT_EQ(add(r, {{2, 3000, 1000}, Bytes(1000, 0)}, 0), A::Dropped);  // another length for the same frame
    EXPECT_EQ(r.stats().malformed, bad.size() + 1);
}

TEST(FragmentReassembly, MissingPieceTimesOut) {
    FragmentReassembly r;
    auto pieces = cut(frame_of(2000, 1), 5, 1000);
    add(r, pieces[0], 0);
    r.expire(FragmentReassembly::kTimeout);
    EXPECT_EQ(r.in_flight(), 1u);
    r.expire(FragmentReassembly::kTimeout + 1);
    EXPECT_EQ(r.in_flight(), 0u);
    EXPECT_EQ(r.stats().timed_out, 1u);
    // The late last piece starts a new frame that never completes either.
    EXPECT_EQ(add(r, pieces[1], FragmentReassembly::kTimeout + 2), A::Incomplete);
}

TEST(FragmentReassembly, MoreFramesInFlightThanTheBoundEvictTheOldest) {
    FragmentReassembly r;
    for (uint32_t id = 0; id < 1000; ++id) add(r, {{id, 2000, 0}, Bytes(1000, 1)}, id * kMs);
    EXPECT_EQ(r.in_flight(), FragmentReassembly::kSlots);
    EXPECT_EQ(r.stats().evicted, 1000 - FragmentReassembly::kSlots);
    // The newest frames are still there and complete.
    Bytes got;
    EXPECT_EQ(add(r, {{999, 2000, 1000}, Bytes(1000, 2)}, 1000 * kMs, &got), A::Complete);
    EXPECT_EQ(add(r, {{0, 2000, 1000}, Bytes(1000, 2)}, 1000 * kMs), A::Incomplete);  // long gone
}

TEST(FragmentReassembly, PiecesOfAnotherSessionNeverMix) {
    FragmentReassembly r;
    const Bytes a = frame_of(2000, 1), b = frame_of(2000, 99);
    auto pa = cut(a, 3, 1000), pb = cut(b, 3, 1000);
    EXPECT_EQ(add(r, pa[0], 0, nullptr, 1), A::Incomplete);
    EXPECT_EQ(add(r, pb[1], 0, nullptr, 2), A::Incomplete);  // same frame id, the next session
    Bytes got;
    EXPECT_EQ(add(r, pb[0], 0, &got, 2), A::Complete);
    EXPECT_EQ(got, b);
    EXPECT_EQ(add(r, pa[1], 0, &got, 1), A::Complete);
    EXPECT_EQ(got, a);
}

}  // namespace
}  // namespace tvpn
