// Which datagrams from an address no peer is at belong to this codec: those
// that name one of our session or handshake indices, and, for a peer whose
// address is not known in advance, its Inits. Claiming costs no crypto; the
// codec's open() then authenticates (or drops) what it claimed.
#include "common/pwd/secure_codec.h"

namespace tvpn {

using namespace wire;

bool SecureCodec::owns_index(Index index) const {
    if (index == 0) return false;
    for (const Session* s : {current_.get(), next_.get()})
        if (s && s->local_index == index) return true;
    for (const auto& s : previous_)
        if (s && s->local_index == index) return true;
    return handshake_.answering(index) || handshake_.initiating_index(index);
}

bool SecureCodec::claims(std::span<const uint8_t> datagram) const {
    DropReason why = DropReason::Malformed;
    const auto type = parse_header(datagram, why);
    if (!type) return false;
    size_t at = kHeaderSize;
    switch (*type) {
        case MessageType::HandshakeInit: {  // ours if it names our tunnel
            if (!config_.endpoint_unknown || datagram.size() != kInitSize) return false;
            const uint8_t* tag = datagram.data() + kHeaderSize + kIndexSize + kInstanceSize + kShareSize;
            return crypto::equal_ct(std::span<const uint8_t>(tag, kNameTagSize), handshake_.name_tag());
        }
        case MessageType::HandshakeResponse: at += kIndexSize; break;  // after the sender's index
        case MessageType::HandshakeConfirm:
        case MessageType::CookieReply:
        case MessageType::Data:
        case MessageType::Fragment:
        case MessageType::Probe:
        case MessageType::ProbeAck: break;
    }
    if (datagram.size() < at + kIndexSize) return false;
    return owns_index(load_le32(datagram.data() + at));
}

}  // namespace tvpn
