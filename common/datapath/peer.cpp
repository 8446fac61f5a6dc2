#include "common/datapath/peer.h"

#include <cstring>

namespace tvpn {

std::string log_name(const PeerConfig& config) { return config.ifname + " peer " + config.name; }

Peer::Peer(PeerConfig config, std::unique_ptr<FrameCodec> codec)
    : config_(std::move(config)), codec_(std::move(codec)) {
    if (config_.remote) {
        endpoint_ = *config_.remote;
        has_endpoint_ = true;
    }
}

bool Peer::outbound(Packet& pkt, uint64_t now_ns) {
    const uint32_t frame_len = pkt.len;
    const SealResult sealed = codec_->seal(pkt, now_ns);
    if (sealed.verdict == SealVerdict::Drop) stats_.drop(sealed.reason);
    if (sealed.verdict == SealVerdict::Sent) {  // in fragments, by the codec itself
        ++stats_.frames_out;
        stats_.bytes_out += frame_len;
    }
    if (sealed.verdict != SealVerdict::Send) return false;
    if (pkt.len > kMaxUdpPayload) {
        stats_.drop(DropReason::TooBig);
        return false;
    }
    if (!has_endpoint_) {  // an `any` peer not heard from yet (a session implies an endpoint)
        stats_.drop(DropReason::NoSession);
        return false;
    }
    std::memcpy(&pkt.addr, endpoint_.sa(), endpoint_.len());
    pkt.addrlen = endpoint_.len();
    pkt.owner = this;
    ++stats_.frames_out;
    stats_.bytes_out += frame_len;
    return true;
}

bool Peer::is_peer(const Packet& pkt) const {
    return has_endpoint_ && endpoint_.matches(reinterpret_cast<const sockaddr*>(&pkt.addr), pkt.addrlen);
}

// The roaming rule: only after the codec authenticated the datagram (and, for
// data, passed its replay check) may its source become the endpoint.
bool Peer::follow(const Packet& pkt) {
    if (!last_authentic_ || !roams() || is_peer(pkt)) return false;
    endpoint_ = Endpoint(reinterpret_cast<const sockaddr*>(&pkt.addr), pkt.addrlen);
    learned_ = !config_.remote || !(endpoint_ == *config_.remote);
    if (candidate_ && *candidate_ == endpoint_) candidate_.reset();  // the new address proved itself
    has_endpoint_ = true;
    ++moves_;
    return true;
}

bool Peer::inbound(Packet& pkt, uint64_t now_ns, bool& moved) {
    const OpenResult r = codec_->open(pkt, now_ns);
    last_authentic_ = r.authentic;
    moved = follow(pkt);
    if (r.verdict == OpenVerdict::Drop) stats_.drop(r.reason);
    if (r.verdict != OpenVerdict::Frame) return false;
    ++stats_.frames_in;
    stats_.bytes_in += pkt.len;
    stats_.last_rx_ns = now_ns;
    return true;
}

}  // namespace tvpn
