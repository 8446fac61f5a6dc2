// The packet path: moves frames between interfaces and UDP sockets in
// batches, through each tunnel's core. Tunnels that share a local address
// share one socket and are told apart by the sender's address. A device that
// batches (Device::batches) is drained with read_batch and written with
// write_batch; any other one frame per call.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "common/device.h"
#include "common/device_tx_queue.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "common/tcp_coalesce.h"
#include "common/tunnel.h"
#include "common/udp_socket.h"

namespace tvpn {

class Datapath {
public:
    explicit Datapath(Logger& log);
    Datapath(const Datapath&) = delete;
    Datapath& operator=(const Datapath&) = delete;

    // Binds the local endpoint (or reuses an already bound one) and adopts the device.
    Status add_tunnel(std::unique_ptr<Tunnel> tunnel, std::unique_ptr<Device> device);
    Status register_with(EventLoop& loop);
    // Runs every tunnel's timers; call about every 100 ms.
    void tick(uint64_t now_ns);
    // True once every tunnel's interface is gone (removed, module unloaded):
    // the loop has been stopped and the daemon should exit with an error.
    bool all_dead() const;

    // Sends a tunnel codec's own datagrams (handshakes) to its peer.
    class PeerSender final : public ControlSink {
    public:
        PeerSender(Datapath& dp, size_t binding) : dp_(dp), binding_(binding) {}
        void send_to_peer(std::span<const uint8_t> datagram) override;

    private:
        Datapath& dp_;
        size_t binding_;
    };
    struct Binding {
        std::unique_ptr<Tunnel> tunnel;
        std::unique_ptr<Device> device;
        size_t socket_index;
        std::unique_ptr<PeerSender> sender;
        std::unique_ptr<TcpCoalescer> coalescer;  // with device offloads only
        std::unique_ptr<DeviceTxQueue> tx_queue;  // for a device that batches only
        bool dead = false;  // the interface went away; frames for it are dropped
    };
    struct SocketEntry {
        UdpSocket socket;
        std::vector<size_t> tunnels;   // indices into bindings
        uint64_t unknown_source = 0;   // datagrams from no tunnel's peer
        uint64_t socket_errors = 0;
    };
    const std::vector<Binding>& bindings() const { return bindings_; }
    const std::vector<SocketEntry>& sockets() const { return sockets_; }

    // Handlers, public for tests that drive them without epoll.
    void on_device_readable(size_t binding);
    void on_socket_readable(size_t socket);

private:
    class TxBurst;
    void send(Binding& b, std::span<Packet* const> packets);
    enum class ReadNext { Take, Skip, Stop };
    ReadNext after_read(Binding& b, const IoResult& r, uint64_t now);
    void read_frames(Binding& b, TxBurst& burst);
    void read_batches(Binding& b, TxBurst& burst);
    void take_frame(TxBurst& burst, Tunnel& tunnel, std::span<uint8_t> frame, const OffloadHeader& h, uint64_t now);
    Binding* find_owner(SocketEntry& s, const Packet& p);
    void deliver(Binding& owner, Packet& p, uint64_t now);
    void write_to_device(Binding& owner, std::span<const uint8_t> frame, const OffloadHeader& h, uint64_t now);
    void flush_coalesced(Binding& owner, uint64_t now);
    void flush_device(Binding& owner, uint64_t now);

    void device_lost(Binding& b, int err);

    Logger& log_;
    EventLoop* loop_ = nullptr;
    std::vector<Binding> bindings_;
    std::vector<SocketEntry> sockets_;
    PacketBatch tx_;
    PacketBatch rx_;
    // A device read with offloads lands here first: it may be a 64 KiB
    // super-frame. Batched reads fill it with up to kDeviceBatchMax frames:
    // two super-frames, or a full batch of frames of up to ~2 KiB.
    static constexpr size_t kStagingSize = 2 * (kMaxDeviceFrame + kBatchFrameOverhead);
    std::unique_ptr<uint8_t[]> staging_;
    std::array<RxFrame, kDeviceBatchMax> rx_frames_{};  // where read_batch put them in staging_
    RateLimit error_log_{1000000000ull, 5};
};

}  // namespace tvpn
