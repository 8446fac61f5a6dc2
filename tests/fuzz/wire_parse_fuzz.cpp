// The -pwd wire format parsers (common/pwd/secure_wire.h) on any datagram: each
// accepts only its exact (or minimum) length, every view it returns lies
// inside the received bytes, and what it accepts re-encodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

#include "common/pwd/secure_wire.h"

using namespace tvpn;
using namespace tvpn::wire;

namespace {

std::span<const uint8_t> input;

template <typename Span>
void inside(const Span& s) {
    if (s.data() < input.data() || s.data() + s.size() > input.data() + input.size()) std::abort();
}

void same(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    if (a.size() != b.size() || std::memcmp(a.data(), b.data(), a.size()) != 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size heap copy, so that ASan sees any read past the datagram.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
    if (size) std::memcpy(copy.get(), data, size);
    input = {copy.get(), size};
    DropReason why = DropReason::Count;
    auto type = parse_header(input, why);
    if (!type && why == DropReason::Count) std::abort();  // a rejection always says why

    why = DropReason::Count;
    if (auto v = parse_init(input, why)) {
        if (size != kInitSize) std::abort();
        inside(v->instance), inside(v->share), inside(v->name_tag), inside(v->session_mac), inside(v->mac_input);
        inside(v->cookie_mac), inside(v->cookie_input);
        Instance inst;
        std::memcpy(inst.data(), v->instance.data(), inst.size());
        NameTag tag;
        std::memcpy(tag.data(), v->name_tag.data(), tag.size());
        auto m = make_init(v->sender_index, inst, v->share, tag);
        store_le64(m.data() + kInitSeqOffset, v->rekey_seq);
        std::memcpy(m.data() + kInitMacOffset, v->session_mac.data(), kSessionMacSize);
        std::memcpy(m.data() + kInitCookieOffset, v->cookie_mac.data(), kCookieMacSize);
        same(m, input);
    } else if (why == DropReason::Count) std::abort();

    why = DropReason::Count;
    if (auto v = parse_response(input, why)) {
        if (size != kResponseSize) std::abort();
        inside(v->instance), inside(v->share), inside(v->confirm), inside(v->session_mac), inside(v->mac_input);
        Instance inst;
        std::memcpy(inst.data(), v->instance.data(), inst.size());
        auto m = make_response(v->sender_index, v->receiver_index, inst, v->share, v->confirm);
        std::memcpy(m.data() + kResponseMacOffset, v->session_mac.data(), kSessionMacSize);
        same(m, input);
    } else if (why == DropReason::Count) std::abort();

    why = DropReason::Count;
    if (auto v = parse_confirm(input, why)) {
        if (size != kConfirmMsgSize) std::abort();
        inside(v->confirm);
        same(make_confirm(v->receiver_index, v->confirm), input);
    } else if (why == DropReason::Count) std::abort();

    why = DropReason::Count;
    if (auto v = parse_cookie_reply(input, why)) {
        if (size != kCookieReplySize) std::abort();
        inside(v->cookie), inside(v->init_digest);
        same(make_cookie_reply(v->receiver_index, v->cookie, v->init_digest), input);
    } else if (why == DropReason::Count) std::abort();

    why = DropReason::Count;
    if (auto v = parse_sealed(input, why)) {
        if (size < kDataOverhead || v->payload_size != size - kDataOverhead) std::abort();
        uint8_t h[kDataHeaderSize];
        write_data_header(std::span<uint8_t, kDataHeaderSize>(h), v->receiver_index, v->counter, v->type);
        same({h, kDataHeaderSize}, input.first(kDataHeaderSize));
    } else if (why == DropReason::Count) std::abort();

    // The plaintext parsers of the sealed messages, over the same bytes.
    if (auto f = parse_fragment(input)) {
        if (f->piece.empty() || f->piece.size() != size - kFragmentHeaderSize) std::abort();
        inside(f->piece);
        uint8_t h[kFragmentHeaderSize];
        write_fragment_header(std::span<uint8_t, kFragmentHeaderSize>(h), f->frame_id, f->total_len, f->offset);
        same({h, kFragmentHeaderSize}, input.first(kFragmentHeaderSize));
    } else if (size > kFragmentHeaderSize) std::abort();
    if (parse_probe_size(input).has_value() != (size >= kProbeSizeField)) std::abort();
    return 0;
}
