#include "common/pwd/secure_wire.h"

#include <cstring>
#include <vector>

#include "common/crypto/hkdf.h"

namespace tvpn::wire {
namespace {

// Reads fields in order; every read is checked against the bytes present.
class Reader {
public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    bool has(size_t n) const { return bytes_.size() - pos_ >= n; }
    template <size_t N>
    std::span<const uint8_t, N> take() {
        auto s = bytes_.subspan(pos_).template first<N>();
        pos_ += N;
        return s;
    }
    uint32_t le32() { return load_le32(take<4>().data()); }
    uint64_t le64() { return load_le64(take<8>().data()); }
    size_t remaining() const { return bytes_.size() - pos_; }

private:
    std::span<const uint8_t> bytes_;
    size_t pos_ = 0;
};

// Header, then an exact length for handshakes or a minimum one for data.
bool check(std::span<const uint8_t> msg, MessageType want, size_t size, bool exact, DropReason& why) {
    auto type = parse_header(msg, why);
    if (!type) return false;
    if (*type != want || (exact ? msg.size() != size : msg.size() < size)) {
        why = DropReason::Malformed;
        return false;
    }
    return true;
}

}  // namespace

bool all_zero(std::span<const uint8_t> field) {
    uint8_t acc = 0;
    for (uint8_t x : field) acc |= x;
    return acc == 0;
}

uint32_t load_le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t load_le64(const uint8_t* p) { return uint64_t{load_le32(p)} | uint64_t{load_le32(p + 4)} << 32; }
void store_le32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void store_le64(uint8_t* p, uint64_t v) {
    store_le32(p, static_cast<uint32_t>(v));
    store_le32(p + 4, static_cast<uint32_t>(v >> 32));
}

std::optional<MessageType> parse_header(std::span<const uint8_t> msg, DropReason& why) {
    if (msg.size() < kHeaderSize) {
        why = DropReason::Malformed;
        return std::nullopt;
    }
    if (msg[1] != kVersion || msg[0] < static_cast<uint8_t>(MessageType::HandshakeInit) ||
        msg[0] > static_cast<uint8_t>(MessageType::ProbeAck)) {
        why = DropReason::BadVersion;
        return std::nullopt;
    }
    if (msg[2] != 0 || msg[3] != 0) {
        why = DropReason::Malformed;
        return std::nullopt;
    }
    return static_cast<MessageType>(msg[0]);
}

std::optional<InitView> parse_init(std::span<const uint8_t> msg, DropReason& why) {
    if (!check(msg, MessageType::HandshakeInit, kInitSize, true, why)) return std::nullopt;
    Reader r(msg);
    r.take<kHeaderSize>();
    const Index sender = r.le32();
    auto instance = r.take<kInstanceSize>();
    auto share = r.take<kShareSize>();
    auto name_tag = r.take<kNameTagSize>();
    const uint64_t seq = r.le64();
    auto session_mac = r.take<kSessionMacSize>();
    return InitView{sender,      instance, share, name_tag, seq, session_mac, r.take<kCookieMacSize>(),
                    msg.first<kInitMacOffset>(), msg.first<kInitCookieOffset>()};
}

std::optional<ResponseView> parse_response(std::span<const uint8_t> msg, DropReason& why) {
    if (!check(msg, MessageType::HandshakeResponse, kResponseSize, true, why)) return std::nullopt;
    Reader r(msg);
    r.take<kHeaderSize>();
    const Index sender = r.le32();
    const Index receiver = r.le32();
    auto instance = r.take<kInstanceSize>();
    auto share = r.take<kShareSize>();
    auto confirm = r.take<kConfirmSize>();
    return ResponseView{sender, receiver, instance, share, confirm, r.take<kSessionMacSize>(),
                        msg.first<kResponseMacOffset>()};
}

std::optional<ConfirmView> parse_confirm(std::span<const uint8_t> msg, DropReason& why) {
    if (!check(msg, MessageType::HandshakeConfirm, kConfirmMsgSize, true, why)) return std::nullopt;
    Reader r(msg);
    r.take<kHeaderSize>();
    const Index receiver = r.le32();
    return ConfirmView{receiver, r.take<kConfirmSize>()};
}

std::optional<CookieReplyView> parse_cookie_reply(std::span<const uint8_t> msg, DropReason& why) {
    if (!check(msg, MessageType::CookieReply, kCookieReplySize, true, why)) return std::nullopt;
    Reader r(msg);
    r.take<kHeaderSize>();
    const Index receiver = r.le32();
    auto cookie = r.take<kCookieSize>();
    return CookieReplyView{receiver, cookie, r.take<kInitDigestSize>()};
}

std::optional<DataView> parse_sealed(std::span<const uint8_t> msg, DropReason& why) {
    auto type = parse_header(msg, why);
    if (!type) return std::nullopt;
    if (!is_sealed(*type) || msg.size() < kDataOverhead) {
        why = DropReason::Malformed;
        return std::nullopt;
    }
    Reader r(msg);
    r.take<kHeaderSize>();
    const Index receiver = r.le32();
    const uint64_t counter = r.le64();
    return DataView{*type, receiver, counter, r.remaining() - crypto::kAeadTagSize};
}

std::optional<FragmentView> parse_fragment(std::span<const uint8_t> plaintext) {
    if (plaintext.size() <= kFragmentHeaderSize) return std::nullopt;
    const uint8_t* p = plaintext.data();
    return FragmentView{load_le32(p), static_cast<uint16_t>(p[4] | p[5] << 8), static_cast<uint16_t>(p[6] | p[7] << 8),
                        plaintext.subspan(kFragmentHeaderSize)};
}

void write_fragment_header(std::span<uint8_t, kFragmentHeaderSize> out, uint32_t frame_id, uint16_t total_len,
                           uint16_t offset) {
    store_le32(out.data(), frame_id);
    out[4] = static_cast<uint8_t>(total_len);
    out[5] = static_cast<uint8_t>(total_len >> 8);
    out[6] = static_cast<uint8_t>(offset);
    out[7] = static_cast<uint8_t>(offset >> 8);
}

void write_probe_size(std::span<uint8_t, kProbeSizeField> out, uint16_t size) {
    out[0] = static_cast<uint8_t>(size);
    out[1] = static_cast<uint8_t>(size >> 8);
}

std::optional<uint16_t> parse_probe_size(std::span<const uint8_t> plaintext) {
    if (plaintext.size() < kProbeSizeField) return std::nullopt;
    return static_cast<uint16_t>(plaintext[0] | plaintext[1] << 8);
}

void write_header(std::span<uint8_t, kHeaderSize> out, MessageType type) {
    out[0] = static_cast<uint8_t>(type);
    out[1] = kVersion;
    out[2] = out[3] = 0;
}

std::array<uint8_t, kInitSize> make_init(Index sender, const Instance& instance,
                                         std::span<const uint8_t, kShareSize> share, const NameTag& name_tag) {
    std::array<uint8_t, kInitSize> m{};
    write_header(std::span(m).first<kHeaderSize>(), MessageType::HandshakeInit);
    uint8_t* p = m.data() + kHeaderSize;
    store_le32(p, sender);
    std::memcpy(p + kIndexSize, instance.data(), kInstanceSize);
    std::memcpy(p + kIndexSize + kInstanceSize, share.data(), kShareSize);
    std::memcpy(p + kIndexSize + kInstanceSize + kShareSize, name_tag.data(), kNameTagSize);
    return m;
}

NameTag name_tag_of(std::string_view name) {
    static constexpr char kLabel[] = "TVPN name ";
    std::vector<uint8_t> input(kLabel, kLabel + sizeof kLabel - 1);
    input.insert(input.end(), name.begin(), name.end());
    std::array<uint8_t, crypto::kSha256Size> digest{};
    NameTag tag{};
    if (crypto::sha256(input, digest)) std::memcpy(tag.data(), digest.data(), tag.size());
    return tag;  // all zero if SHA-256 failed: then no Init of ours matches anyone's
}

std::array<uint8_t, kResponseSize> make_response(Index sender, Index receiver, const Instance& instance,
                                                 std::span<const uint8_t, kShareSize> share,
                                                 std::span<const uint8_t, kConfirmSize> confirm) {
    std::array<uint8_t, kResponseSize> m{};
    write_header(std::span(m).first<kHeaderSize>(), MessageType::HandshakeResponse);
    uint8_t* p = m.data() + kHeaderSize;
    store_le32(p, sender);
    store_le32(p + kIndexSize, receiver);
    p += 2 * kIndexSize;
    std::memcpy(p, instance.data(), kInstanceSize);
    std::memcpy(p + kInstanceSize, share.data(), kShareSize);
    std::memcpy(p + kInstanceSize + kShareSize, confirm.data(), kConfirmSize);
    return m;
}

std::array<uint8_t, kConfirmMsgSize> make_confirm(Index receiver, std::span<const uint8_t, kConfirmSize> confirm) {
    std::array<uint8_t, kConfirmMsgSize> m{};
    write_header(std::span(m).first<kHeaderSize>(), MessageType::HandshakeConfirm);
    store_le32(m.data() + kHeaderSize, receiver);
    std::memcpy(m.data() + kHeaderSize + kIndexSize, confirm.data(), kConfirmSize);
    return m;
}

std::array<uint8_t, kCookieReplySize> make_cookie_reply(Index receiver, std::span<const uint8_t, kCookieSize> cookie,
                                                        std::span<const uint8_t, kInitDigestSize> init_digest) {
    std::array<uint8_t, kCookieReplySize> m{};
    write_header(std::span(m).first<kHeaderSize>(), MessageType::CookieReply);
    store_le32(m.data() + kHeaderSize, receiver);
    std::memcpy(m.data() + kHeaderSize + kIndexSize, cookie.data(), kCookieSize);
    std::memcpy(m.data() + kHeaderSize + kIndexSize + kCookieSize, init_digest.data(), kInitDigestSize);
    return m;
}

void write_data_header(std::span<uint8_t, kDataHeaderSize> out, Index receiver, uint64_t counter, MessageType type) {
    write_header(out.first<kHeaderSize>(), type);
    store_le32(out.data() + kHeaderSize, receiver);
    store_le64(out.data() + kHeaderSize + kIndexSize, counter);
}

}  // namespace tvpn::wire
