// The -pwd wire format: writers and parsers agree, and every parser refuses
// each wrong length, version, type and reserved byte without reading past
// the end (run under ASan by `make check`).
#include "common/pwd/secure_wire.h"

#include <gtest/gtest.h>

#include <vector>

namespace tvpn::wire {
namespace {

using Bytes = std::vector<uint8_t>;

std::array<uint8_t, kShareSize> share() {
    std::array<uint8_t, kShareSize> s{};
    for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(i);
    return s;
}

TEST(SecureWire, SizesAreAsDocumented) {
    EXPECT_EQ(kInitSize, 129u);
    EXPECT_EQ(kInitSeqOffset, 89u);
    EXPECT_EQ(kInitMacOffset, 97u);
    EXPECT_EQ(kInitCookieOffset, 113u);
    EXPECT_EQ(kCookieReplySize, 40u);
    EXPECT_EQ(kResponseMacOffset, 117u);
    EXPECT_EQ(kResponseSize, 133u);
    EXPECT_EQ(kVersion, 4);
    EXPECT_EQ(kConfirmMsgSize, 40u);
    EXPECT_EQ(kDataHeaderSize, 16u);
    EXPECT_EQ(kDataOverhead, 32u);
}

TEST(SecureWire, NameTagsDifferForDifferentNames) {
    EXPECT_EQ(name_tag_of("vlan3"), name_tag_of("vlan3"));
    EXPECT_NE(name_tag_of("vlan3"), name_tag_of("vlan4"));
    EXPECT_NE(name_tag_of("vlan3"), NameTag{});
}

TEST(SecureWire, InitRoundTripsAndRejectsEveryOtherLength) {
    Instance inst{1, 2, 3, 4, 5, 6, 7, 8};
    auto s = share();
    const NameTag tag = name_tag_of("vlan3");
    auto m = make_init(0xA1B2C3D4, inst, s, tag);
    DropReason why{};
    auto v = parse_init(m, why);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->sender_index, 0xA1B2C3D4u);
    EXPECT_TRUE(std::equal(v->name_tag.begin(), v->name_tag.end(), tag.begin()));
    EXPECT_TRUE(std::equal(v->instance.begin(), v->instance.end(), inst.begin()));
    EXPECT_TRUE(std::equal(v->share.begin(), v->share.end(), s.begin()));
    EXPECT_EQ(m[4], 0xD4);  // little-endian
    EXPECT_EQ(v->rekey_seq, 0u);
    store_le64(m.data() + kInitSeqOffset, 0x0102030405060708ull);
    m[kInitMacOffset] = 0xAA;
    m[kInitCookieOffset] = 0xBB;
    v = parse_init(m, why);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->rekey_seq, 0x0102030405060708ull);
    EXPECT_EQ(v->session_mac[0], 0xAA);
    EXPECT_EQ(v->cookie_mac[0], 0xBB);
    EXPECT_EQ(v->mac_input.size(), kInitMacOffset);     // the session MAC covers the sequence number
    EXPECT_EQ(v->cookie_input.size(), kInitCookieOffset);  // the cookie MAC covers the session MAC
    Bytes longer(m.begin(), m.end());
    longer.push_back(0);
    EXPECT_FALSE(parse_init(longer, why));
    EXPECT_EQ(why, DropReason::Malformed);
    for (size_t n = 0; n < m.size(); ++n) {
        Bytes cut(m.begin(), m.begin() + static_cast<long>(n));  // a copy: ASan sees a read past it
        EXPECT_FALSE(parse_init(cut, why)) << n;
    }
}

TEST(SecureWire, ResponseAndConfirmRoundTrip) {
    Instance inst{9, 9, 9, 9, 9, 9, 9, 9};
    std::array<uint8_t, kConfirmSize> conf{};
    conf.fill(0xCC);
    auto s = share();
    auto r = make_response(7, 8, inst, s, conf);
    DropReason why{};
    auto rv = parse_response(r, why);
    ASSERT_TRUE(rv);
    EXPECT_EQ(rv->sender_index, 7u);
    EXPECT_EQ(rv->receiver_index, 8u);
    EXPECT_EQ(rv->confirm[31], 0xCC);
    EXPECT_EQ(rv->session_mac.data(), r.data() + kResponseMacOffset);
    EXPECT_EQ(std::count(rv->session_mac.begin(), rv->session_mac.end(), 0), 16);  // the caller fills it in
    EXPECT_EQ(rv->mac_input.size(), kResponseMacOffset);  // the session MAC covers the confirmation
    EXPECT_FALSE(parse_init(r, why));  // a response is not an init
    for (size_t n = 0; n < r.size(); ++n) EXPECT_FALSE(parse_response(Bytes(r.begin(), r.begin() + static_cast<long>(n)), why));
    auto c = make_confirm(8, conf);
    auto cv = parse_confirm(c, why);
    ASSERT_TRUE(cv);
    EXPECT_EQ(cv->receiver_index, 8u);
    for (size_t n = 0; n < c.size(); ++n) EXPECT_FALSE(parse_confirm(Bytes(c.begin(), c.begin() + static_cast<long>(n)), why));
}

TEST(SecureWire, CookieReplyRoundTripsAndRejectsEveryOtherLength) {
    std::array<uint8_t, kCookieSize> c{};
    c.fill(0x5A);
    std::array<uint8_t, kInitDigestSize> d{};
    d.fill(0xD1);
    auto m = make_cookie_reply(0x11223344, c, d);
    DropReason why{};
    auto v = parse_cookie_reply(m, why);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->receiver_index, 0x11223344u);
    EXPECT_EQ(v->cookie[15], 0x5A);
    EXPECT_EQ(v->init_digest[0], 0xD1);
    EXPECT_EQ(v->init_digest[15], 0xD1);
    EXPECT_FALSE(parse_confirm(m, why));
    Bytes longer(m.begin(), m.end());
    longer.push_back(0);
    EXPECT_FALSE(parse_cookie_reply(longer, why));
    for (size_t n = 0; n < m.size(); ++n)
        EXPECT_FALSE(parse_cookie_reply(Bytes(m.begin(), m.begin() + static_cast<long>(n)), why)) << n;
}

TEST(SecureWire, DataHeaderAndPayloadSize) {
    Bytes d(kDataOverhead + 100);
    write_data_header(std::span<uint8_t, kDataHeaderSize>(d.data(), kDataHeaderSize), 0x01020304, 0x1122334455667788ull);
    DropReason why{};
    auto v = parse_sealed(d, why);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->receiver_index, 0x01020304u);
    EXPECT_EQ(v->counter, 0x1122334455667788ull);
    EXPECT_EQ(v->payload_size, 100u);
    Bytes keepalive(d.begin(), d.begin() + kDataOverhead);
    ASSERT_TRUE(parse_sealed(keepalive, why));
    EXPECT_EQ(parse_sealed(keepalive, why)->payload_size, 0u);
    for (size_t n = 0; n < kDataOverhead; ++n) {
        EXPECT_FALSE(parse_sealed(Bytes(d.begin(), d.begin() + static_cast<long>(n)), why)) << n;
        EXPECT_EQ(why, DropReason::Malformed);
    }
}

TEST(SecureWire, SealedMessagesShareTheDataHeader) {
    for (MessageType t : {MessageType::Fragment, MessageType::Probe, MessageType::ProbeAck}) {
        Bytes d(kDataOverhead + 10);
        write_data_header(std::span<uint8_t, kDataHeaderSize>(d.data(), kDataHeaderSize), 7, 9, t);
        DropReason why{};
        auto v = parse_sealed(d, why);
        ASSERT_TRUE(v);
        EXPECT_EQ(v->type, t);
        EXPECT_EQ(v->payload_size, 10u);
    }
    Bytes init(kDataOverhead);
    write_header(std::span<uint8_t, kHeaderSize>(init.data(), kHeaderSize), MessageType::HandshakeConfirm);
    DropReason why{};
    EXPECT_FALSE(parse_sealed(init, why));  // a handshake message is never opened as sealed
    EXPECT_EQ(why, DropReason::Malformed);
}

TEST(SecureWire, FragmentAndProbePlaintexts) {
    Bytes f(kFragmentHeaderSize + 3, 0xab);
    write_fragment_header(std::span<uint8_t, kFragmentHeaderSize>(f.data(), kFragmentHeaderSize), 0x01020304, 1518,
                          1400);
    auto v = parse_fragment(f);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->frame_id, 0x01020304u);
    EXPECT_EQ(v->total_len, 1518);
    EXPECT_EQ(v->offset, 1400);
    EXPECT_EQ(v->piece.size(), 3u);
    EXPECT_FALSE(parse_fragment(Bytes(f.begin(), f.begin() + kFragmentHeaderSize)));  // no piece
    EXPECT_EQ(parse_probe_size(Bytes{0x00, 0x05, 0, 0}), 1280);
    EXPECT_FALSE(parse_probe_size(Bytes{0x00}));
}

TEST(SecureWire, HeaderChecksVersionTypeAndReserved) {
    DropReason why{};
    EXPECT_FALSE(parse_header(Bytes{4, kVersion, 0}, why));
    EXPECT_EQ(why, DropReason::Malformed);
    for (uint8_t old : {1, 2, 3, 5}) {  // 1 to 3: an older TVPN
        EXPECT_FALSE(parse_header(Bytes{4, old, 0, 0}, why));
        EXPECT_EQ(why, DropReason::BadVersion);
    }
    EXPECT_FALSE(parse_header(Bytes{0, kVersion, 0, 0}, why));
    EXPECT_EQ(why, DropReason::BadVersion);
    EXPECT_FALSE(parse_header(Bytes{9, kVersion, 0, 0}, why));
    EXPECT_EQ(why, DropReason::BadVersion);
    EXPECT_FALSE(parse_header(Bytes{4, kVersion, 0, 1}, why));
    EXPECT_EQ(why, DropReason::Malformed);
    auto t = parse_header(Bytes{3, kVersion, 0, 0}, why);
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, MessageType::HandshakeConfirm);
}

TEST(SecureWire, RejectAfterGrowsWithTheRekeyTime) {
    EXPECT_EQ(reject_after(120 * kSecond), 180 * kSecond);
    EXPECT_EQ(reject_after(2 * kSecond), 17 * kSecond);
}

}  // namespace
}  // namespace tvpn::wire
