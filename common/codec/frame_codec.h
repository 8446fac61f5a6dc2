// How a tunnel turns a frame into a datagram and back, in place in a Packet.
// Clear text is one implementation; the encrypted ones come with -pwd and may
// also exchange their own datagrams (handshakes) with the peer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/codec/codec_metrics.h"
#include "common/datapath/packet.h"
#include "common/datapath/tunnel_stats.h"

namespace tvpn {

// Where a codec sends datagrams of its own (handshake messages) to the peer.
class ControlSink {
public:
    virtual ~ControlSink() = default;
    virtual void send_to_peer(std::span<const uint8_t> datagram) = 0;
};

enum class OpenVerdict {
    Frame,     // pkt now holds a frame for the interface
    Consumed,  // a control message, handled inside the codec
    Drop,      // drop it, counted under `reason`
};

enum class SealVerdict {
    Send,  // pkt now holds the datagram for the peer
    Held,  // the codec keeps the frame and sends it itself later (no session yet); not a drop
    Sent,  // the codec sent it itself, cut into several datagrams (too large for the path)
    Drop,  // drop it, counted under `reason`
};

struct SealResult {
    SealVerdict verdict;
    DropReason reason = DropReason::Count;
    static SealResult send() { return {SealVerdict::Send}; }
    static SealResult held() { return {SealVerdict::Held}; }
    static SealResult sent() { return {SealVerdict::Sent}; }
    static SealResult drop(DropReason r) { return {SealVerdict::Drop, r}; }
};

struct OpenResult {
    OpenVerdict verdict;
    DropReason reason = DropReason::Count;
    // The codec proved the datagram came from the peer (and, for data, that
    // it is not a replay): its source may become the peer's endpoint.
    bool authentic = false;
    static OpenResult frame() { return {OpenVerdict::Frame}; }
    static OpenResult consumed() { return {OpenVerdict::Consumed}; }
    static OpenResult drop(DropReason r) { return {OpenVerdict::Drop, r}; }
    static OpenResult authentic_frame() { return {OpenVerdict::Frame, DropReason::Count, true}; }
    static OpenResult authentic_consumed() { return {OpenVerdict::Consumed, DropReason::Count, true}; }
};

class FrameCodec {
public:
    virtual ~FrameCodec() = default;
    virtual const char* name() const = 0;
    // Frame -> datagram in place: send it, or the codec held it, or drop it.
    // Runs on the packet path: no allocation, no exceptions, no unconditional logging.
    virtual SealResult seal(Packet& pkt, uint64_t now_ns) = 0;
    // Datagram from the peer -> frame, or a control message it consumes.
    virtual OpenResult open(Packet& pkt, uint64_t now_ns) = 0;
    // Called about every 100 ms: timers (handshake retries, rekeying, expiry).
    virtual void tick(uint64_t /*now_ns*/) {}
    // Extra lines for the console's status (session state, handshake age...).
    virtual std::string status(uint64_t /*now_ns*/) const { return {}; }
    // The same as numbers, for vnddconfig show and the event log.
    virtual CodecMetrics metrics(uint64_t /*now_ns*/) const { return {}; }
    // False when the peer stopped answering (a codec that cannot tell: true).
    virtual bool peer_responding() const { return true; }
    // Whether frames can go now: a codec with sessions has one (a codec
    // without: always).
    virtual bool has_session() const { return true; }
    // Whether open() can prove where a datagram came from (then the peer may roam).
    virtual bool authenticates() const { return false; }
    // The largest frame the interface can hand over (its MTU plus an Ethernet
    // header with a VLAN tag) and the underlay's IP and UDP header size (28
    // for IPv4, 48 for IPv6): what the codec sizes its datagrams from.
    virtual void set_path(size_t /*largest_frame*/, size_t /*ip_overhead*/) {}
    // The largest frame that leaves in one datagram without IP fragments on
    // the path as the codec knows it, or 0 when it does not know the path
    // (then the owner estimates it from the route).
    virtual size_t max_whole_frame() const { return 0; }
    // True when the codec never relies on IP fragmentation (it cuts frames
    // itself): its datagrams may carry DF. False: one frame per datagram,
    // which the kernel and routers must be free to fragment.
    virtual bool fragments_itself() const { return false; }
    // Whether a datagram from an unknown source is addressed to this codec
    // (it names one of our session or handshake indices). Cheap: no crypto.
    virtual bool claims(std::span<const uint8_t> /*datagram*/) const { return false; }
    // Set once by the tunnel before any other call.
    void set_control_sink(ControlSink* sink) { control_ = sink; }

protected:
    ControlSink* control_ = nullptr;
};

// The original TVPN clear-text format: one raw Ethernet frame per datagram.
class ClearCodec final : public FrameCodec {
public:
    const char* name() const override { return "clear"; }
    SealResult seal(Packet&, uint64_t) override { return SealResult::send(); }
    OpenResult open(Packet& pkt, uint64_t) override;
};

}  // namespace tvpn
