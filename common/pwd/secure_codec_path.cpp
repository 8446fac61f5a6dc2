// The -pwd codec and the path to its peer (docs/PROTOCOL.md, "Fragments" and
// "Path MTU"): a frame too large for one datagram on the path leaves as
// sealed Fragments that the peer reassembles; padded Probes, acknowledged
// by the peer, find the largest datagram the path carries (PathMtu), so no
// datagram of the tunnel ever needs IP fragmentation.
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/pwd/secure_codec.h"

namespace tvpn {

using namespace wire;

namespace {

const char* state_name(PathMtu::State s) {
    switch (s) {
        case PathMtu::State::Base: return "base, probing";
        case PathMtu::State::Searching: return "searching";
        case PathMtu::State::Complete: return "complete";
        case PathMtu::State::BlackHole: return "black hole: not even the base passes";
    }
    return "?";
}

}  // namespace

void SecureCodec::set_path(size_t largest_frame, size_t ip_overhead) {
    ip_overhead_ = ip_overhead;
    path_mtu_.set_max(static_cast<uint32_t>(largest_frame + kDataOverhead + ip_overhead), 0);
}

// The largest datagram (UDP payload) the path is known to carry.
size_t SecureCodec::max_datagram() const { return path_mtu_.current() - ip_overhead_; }

size_t SecureCodec::max_whole_frame() const { return max_datagram() - kDataOverhead; }

// Seals scratch_[kDataHeaderSize, +len) in place as a `type` message under
// `s` and sends it. The counter is used up even when the seal fails.
bool SecureCodec::send_sealed(Session& s, MessageType type, size_t len, uint64_t now) {
    if (!control_) return false;
    uint8_t* buf = scratch_.get();
    const uint64_t counter = s.send_counter++;
    write_data_header(std::span<uint8_t, kDataHeaderSize>(buf, kDataHeaderSize), s.remote_index, counter, type);
    std::span<uint8_t, crypto::kAeadTagSize> tag(buf + kDataHeaderSize + len, crypto::kAeadTagSize);
    if (!s.send->seal(counter, {buf, kDataHeaderSize}, {buf + kDataHeaderSize, len}, tag)) {
        crypto::wipe(buf + kDataHeaderSize, len);
        crypto_failure("a message to the peer was not sent", now);
        return false;
    }
    control_->send_to_peer({buf, kDataOverhead + len});
    timers_.data_sent(now);
    return true;
}

// Cuts the frame into pieces that each fit one datagram on the path, all
// but the last a multiple of kFragmentUnit, and sends them back to back.
bool SecureCodec::send_fragments(Session& s, const Packet& pkt, uint64_t now) {
    const size_t room = max_datagram() - kDataOverhead - kFragmentHeaderSize;
    const size_t piece_max = room / kFragmentUnit * kFragmentUnit;
    if (piece_max == 0 || pkt.len > kMaxReassembled) return false;  // (seal() says which: too big or crypto)
    const uint32_t id = next_frame_id_++;
    uint8_t* plain = scratch_.get() + kDataHeaderSize;
    for (size_t off = 0; off < pkt.len; off += piece_max) {
        const size_t len = std::min(piece_max, pkt.len - off);
        write_fragment_header(std::span<uint8_t, kFragmentHeaderSize>(plain, kFragmentHeaderSize), id,
                              static_cast<uint16_t>(pkt.len), static_cast<uint16_t>(off));
        std::memcpy(plain + kFragmentHeaderSize, pkt.data() + off, len);
        if (!send_sealed(s, MessageType::Fragment, kFragmentHeaderSize + len, now)) return false;
        ++counts_.fragments_sent;
    }
    ++counts_.frames_fragmented;
    return true;
}

// A held frame, once a session exists: whole if it fits the path, else in pieces.
bool SecureCodec::send_frame(Session& s, Packet& pkt, uint64_t now) {
    if (pkt.len > max_whole_frame()) return send_fragments(s, pkt, now);
    if (!seal_in_place(s, pkt, now)) {
        crypto_failure("a held frame was not sent", now);
        return false;
    }
    if (control_) control_->send_to_peer(pkt.bytes());
    return true;
}

OpenResult SecureCodec::open_fragment(Packet& pkt, const Session& s, std::span<const uint8_t> plaintext,
                                      uint64_t now) {
    const auto f = parse_fragment(plaintext);
    if (!f) return OpenResult::drop(DropReason::Malformed);
    std::span<const uint8_t> frame;
    const FragmentHeader h{f->frame_id, f->total_len, f->offset};
    switch (reassembly_.add(s.local_index, h, f->piece, now, frame)) {
        case FragmentReassembly::Added::Incomplete: return OpenResult::authentic_consumed();
        case FragmentReassembly::Added::Dropped: return OpenResult::drop(DropReason::Malformed);
        case FragmentReassembly::Added::Complete: break;
    }
    pkt.off = kHeadroom;
    pkt.len = static_cast<uint32_t>(frame.size());
    std::memcpy(pkt.data(), frame.data(), frame.size());
    return OpenResult::authentic_frame();
}

// A probe names its own size; the acknowledgement repeats it (small: an
// acknowledgement never needs the path the probe tested).
OpenResult SecureCodec::open_probe(Session& s, std::span<const uint8_t> plaintext, uint64_t now) {
    const auto size = parse_probe_size(plaintext);
    if (!size) return OpenResult::drop(DropReason::Malformed);
    uint8_t* plain = scratch_.get() + kDataHeaderSize;
    write_probe_size(std::span<uint8_t, kProbeSizeField>(plain, kProbeSizeField), *size);
    send_sealed(s, MessageType::ProbeAck, kProbeSizeField, now);
    return OpenResult::authentic_consumed();
}

OpenResult SecureCodec::open_probe_ack(std::span<const uint8_t> plaintext, uint64_t now) {
    const auto size = parse_probe_size(plaintext);
    if (!size) return OpenResult::drop(DropReason::Malformed);
    path_mtu_.acknowledged(*size, now);  // a change is logged from metrics() (vnddvpnd/peer_event_log.h)
    return OpenResult::authentic_consumed();
}

// On every tick with a session: notices lost probes and sends the next one.
void SecureCodec::probe_path(uint64_t now) {
    path_mtu_.tick(now);
    Session* s = current_.get();
    if (!usable(s, now)) return;
    const auto size = path_mtu_.probe_due(now);
    if (!size || *size < ip_overhead_ + kDataOverhead + kProbeSizeField || *size - ip_overhead_ > kMaxUdpPayload)
        return;
    const size_t plain_len = *size - ip_overhead_ - kDataOverhead;
    uint8_t* plain = scratch_.get() + kDataHeaderSize;
    std::memset(plain, 0, plain_len);
    write_probe_size(std::span<uint8_t, kProbeSizeField>(plain, kProbeSizeField), static_cast<uint16_t>(*size));
    path_mtu_.probe_sent(*size, now);
    send_sealed(*s, MessageType::Probe, plain_len, now);
}

std::string SecureCodec::path_status() const {
    const ReassemblyStats& r = reassembly_.stats();
    char line[320];
    std::snprintf(line, sizeof line,
                  "  path MTU: %" PRIu32 " (%s; probes %" PRIu64 ", black holes %" PRIu64 "); fragments: sent %" PRIu64
                  " in %" PRIu64 " frames, reassembled %" PRIu64 ", incomplete dropped %" PRIu64
                  " (timed out %" PRIu64 ", evicted %" PRIu64 ", duplicate %" PRIu64 ", malformed %" PRIu64 ")\n",
                  path_mtu_.current(), state_name(path_mtu_.state()), path_mtu_.probes_sent(),
                  path_mtu_.black_holes(), counts_.fragments_sent, counts_.frames_fragmented, r.completed,
                  r.timed_out + r.evicted + r.duplicates + r.malformed, r.timed_out, r.evicted, r.duplicates,
                  r.malformed);
    return line;
}

}  // namespace tvpn
