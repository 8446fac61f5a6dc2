// The packet path: moves frames between interfaces and UDP sockets in
// batches. An interface is one Ethernet segment: its device and its peers.
// With one peer every frame goes to it; with several, the interface's switch
// (common/switch) decides, and frames between two peers are relayed here,
// without a round trip through the kernel. Peers that share a local address
// share one socket and are told apart by the sender's address (or, for a
// peer that roams, by the session its datagram names). A device that batches
// (Device::batches) is drained with read_batch and written with write_batch;
// any other one frame per call. What an interface hands us waits in its fair
// queue (fair_queue.h) and is served from there a bounded amount per turn.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/datapath/endpoint_key.h"
#include "common/datapath/fair_queue.h"
#include "common/datapath/peer.h"
#include "common/device/device.h"
#include "common/device/device_tx_queue.h"
#include "common/control/event_loop.h"
#include "common/log.h"
#include "common/switch/l2_switch.h"
#include "common/datapath/tcp_coalesce.h"
#include "common/datapath/udp_socket.h"

namespace tvpn {

class Datapath {
public:
    explicit Datapath(Logger& log);
    Datapath(const Datapath&) = delete;
    Datapath& operator=(const Datapath&) = delete;

    // Adopts an interface's device; returns its index.
    size_t add_interface(std::unique_ptr<Device> device);
    // Adds a peer to an interface; binds its local endpoint (or reuses a bound
    // one). Also while running (a reload): a new socket joins the event loop,
    // and the interface's switch keeps what it learnt of the other peers.
    Status add_peer(size_t interface, std::unique_ptr<Peer> peer);
    // Takes a peer out while running (a reload) and hands it back, its
    // sessions, fragments and timers inside (gone with it unless it is added
    // again). Its MACs leave the switch; the other peers keep theirs, their
    // sessions and their sockets, and so does it its socket, even when no
    // peer is left on it (a port below 1024 could not be bound again once
    // privileges are dropped). Indices of later peers move down by one.
    std::unique_ptr<Peer> remove_peer(size_t index);
    // The index of the peer of interface `ifname` with tunnel name `name`.
    std::optional<size_t> find_peer(std::string_view ifname, std::string_view name) const;
    // The index of the interface named `ifname`.
    std::optional<size_t> find_interface(std::string_view ifname) const;
    // An interface with a single peer, in one call.
    Status add_tunnel(std::unique_ptr<Peer> peer, std::unique_ptr<Device> device);
    // The interface's MTU (the default Ethernet's until told): the largest
    // frame it takes, what its peers' codecs size datagrams for.
    void set_mtu(size_t interface, size_t mtu);
    Status register_with(EventLoop& loop);
    // Runs every peer's timers and ages the switches; call about every 100 ms.
    void tick(uint64_t now_ns);
    // Frames read from an interface still wait in its queue: poll without
    // waiting, then serve_backlog().
    bool backlogged() const;
    void serve_backlog();
    // True once every interface is gone (removed, module unloaded): the loop
    // has been stopped and the daemon should exit with an error.
    bool all_dead() const;

    // Sends a peer codec's own datagrams (handshakes, keepalives): an answer
    // goes back to where the datagram being opened came from, anything else
    // to the peer's endpoint.
    class PeerSender final : public ControlSink {
    public:
        PeerSender(Datapath& dp, size_t peer) : dp_(dp), peer_(peer) {}
        void send_to_peer(std::span<const uint8_t> datagram) override;
        void set_peer(size_t peer) { peer_ = peer; }  // after an earlier peer was removed

    private:
        Datapath& dp_;
        size_t peer_;
    };
    struct Interface {
        std::unique_ptr<Device> device;
        std::vector<size_t> peers;                // indices into peers(); switch port = position + 1
        std::unique_ptr<L2Switch> sw;             // with more than one peer
        std::unique_ptr<TcpCoalescer> coalescer;  // with device offloads only
        std::unique_ptr<DeviceTxQueue> tx_queue;  // for a device that batches only
        std::unique_ptr<FairQueue> queue;         // frames read, not yet sent
        TunnelStats stats;                        // what no single peer is to blame for (several peers)
        size_t largest_frame = kDefaultMtu + kEthHeaderMax;  // its MTU plus an Ethernet header and a VLAN tag
        size_t clamp_frame = largest_frame;       // the largest frame every peer's path carries whole (MSS clamping)
        bool dead = false;  // the interface went away; frames for it are dropped
    };
    struct PeerEntry {
        std::unique_ptr<Peer> peer;
        size_t interface;
        PortId port;  // in the interface's switch; 0 is the interface itself
        size_t socket_index;
        std::unique_ptr<PeerSender> sender;
        size_t route_frame;  // for a codec that does not probe: what the route's MTU carries whole
        size_t max_frame() const;  // the largest frame its path carries whole
    };
    struct SocketEntry {
        UdpSocket socket;
        std::vector<size_t> peers;    // indices into peers()
        std::unordered_map<EndpointKey, size_t, EndpointKeyHash> by_endpoint;  // current endpoints
        uint64_t unknown_source = 0;  // datagrams no peer claimed
        uint64_t socket_errors = 0;
    };
    const std::vector<Interface>& interfaces() const { return interfaces_; }
    const std::vector<PeerEntry>& peers() const { return peers_; }
    Peer& peer(size_t index) { return *peers_[index].peer; }  // control: its candidate address
    const std::vector<SocketEntry>& sockets() const { return sockets_; }

    // Handlers, public for tests that drive them without epoll.
    void on_device_readable(size_t interface);
    void on_socket_readable(size_t socket);

private:
    class TxBurst;
    enum class ReadNext { Take, Skip, Stop };
    TunnelStats& blame(Interface& ifc);
    ReadNext after_read(Interface& ifc, const IoResult& r, uint64_t now);
    void read_frames(Interface& ifc);
    void read_batches(Interface& ifc);
    void count_queue_drops(Interface& ifc, size_t dropped);
    void serve_queue(Interface& ifc);
    void take_frame(TxBurst& burst, Interface& ifc, std::span<uint8_t> frame, const OffloadHeader& h, uint64_t now);
    void route_from_device(Interface& ifc, TxBurst& burst, Packet& p, uint64_t now);
    void send_run(PeerEntry& pe, std::span<Packet* const> packets);

    PeerEntry* find_owner(SocketEntry& s, const Packet& p);
    PeerEntry* claimant(SocketEntry& s, const Packet& p);
    void reindex(SocketEntry& s);
    void deliver(PeerEntry& pe, Packet& p, TxBurst& relay, uint64_t now);
    void switch_from_peer(PeerEntry& pe, Packet& p, TxBurst& relay, uint64_t now);
    void endpoint_moved(PeerEntry& pe, uint64_t now);
    void to_device(Interface& ifc, TunnelStats& stats, Packet& p, uint64_t now);
    void write_to_device(Interface& ifc, TunnelStats& stats, std::span<const uint8_t> frame, const OffloadHeader& h,
                         uint64_t now);
    void flush_coalesced(Interface& ifc, uint64_t now);
    void flush_device(Interface& ifc, uint64_t now);

    void device_lost(Interface& ifc, int err);
    void update_clamp(Interface& ifc);
    bool fits_and_clamp(Interface& ifc, TunnelStats& stats, Packet& p);
    Status choose_fragmentation(SocketEntry& s, const Peer& peer);
    Status watch_socket(size_t socket);
    void rebuild_switch(size_t interface, std::span<const PortId> old_port_of, uint64_t now_ns);
    void renumber_from(size_t removed);

    Logger& log_;
    EventLoop* loop_ = nullptr;
    std::vector<Interface> interfaces_;
    std::vector<PeerEntry> peers_;
    std::vector<SocketEntry> sockets_;
    const Packet* replying_to_ = nullptr;  // the datagram being opened, while a codec may answer it
    size_t replying_peer_ = 0;
    PacketBatch tx_;
    PacketBatch rx_;
    // Batched reads land here before their frames are copied into the
    // queue: up to kDeviceBatchMax frames, two super-frames or a full batch
    // of frames of up to ~2 KiB. (Single reads go into the queue directly.)
    static constexpr size_t kStagingSize = 2 * (kMaxDeviceFrame + kBatchFrameOverhead);
    std::unique_ptr<uint8_t[]> staging_;
    std::unique_ptr<uint8_t[]> flood_scratch_;  // a flooded frame while its burst is sent to make room
    std::array<RxFrame, kDeviceBatchMax> rx_frames_{};  // where read_batch put them in staging_
    RateLimit error_log_{1000000000ull, 5};
    uint64_t seed_;
};

}  // namespace tvpn
