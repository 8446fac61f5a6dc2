#include "common/tunnel.h"

#include <cstring>

namespace tvpn {

Tunnel::Tunnel(TunnelConfig config, std::unique_ptr<FrameCodec> codec)
    : config_(std::move(config)), codec_(std::move(codec)) {}

bool Tunnel::outbound(Packet& pkt, uint64_t now_ns) {
    const uint32_t frame_len = pkt.len;
    const SealResult sealed = codec_->seal(pkt, now_ns);
    if (sealed.verdict == SealVerdict::Drop) stats_.drop(sealed.reason);
    if (sealed.verdict != SealVerdict::Send) return false;
    if (pkt.len > kMaxUdpPayload) {
        stats_.drop(DropReason::TooBig);
        return false;
    }
    std::memcpy(&pkt.addr, config_.remote.sa(), config_.remote.len());
    pkt.addrlen = config_.remote.len();
    pkt.owner = this;
    ++stats_.frames_out;
    stats_.bytes_out += frame_len;
    return true;
}

bool Tunnel::is_peer(const Packet& pkt) const {
    return config_.remote.matches(reinterpret_cast<const sockaddr*>(&pkt.addr), pkt.addrlen);
}

bool Tunnel::inbound(Packet& pkt, uint64_t now_ns) {
    OpenResult r = codec_->open(pkt, now_ns);
    if (r.verdict == OpenVerdict::Drop) stats_.drop(r.reason);
    if (r.verdict != OpenVerdict::Frame) return false;
    ++stats_.frames_in;
    stats_.bytes_in += pkt.len;
    stats_.last_rx_ns = now_ns;
    return true;
}

}  // namespace tvpn
