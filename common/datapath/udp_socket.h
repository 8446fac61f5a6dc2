// The UDP transport: one bound socket, batched receive and send. Bursts cost
// one system call (recvmmsg/sendmmsg); where the kernel allows, runs of
// equal-size datagrams to one peer go out as one UDP GSO send (UDP_SEGMENT),
// and coalesced datagrams come in through UDP GRO.
#pragma once

#include <span>

#include "common/endpoint.h"
#include "common/datapath/packet.h"
#include "common/unique_fd.h"

namespace tvpn {

struct SendOutcome {
    size_t sent = 0;    // datagrams handed to the kernel
    size_t failed = 0;  // datagrams dropped because of `last_err`
    int last_err = 0;
};

class UdpSocket {
public:
    static Result<UdpSocket> bind(const Endpoint& local);

    int fd() const { return fd_.get(); }
    const Endpoint& local() const { return local_; }
    bool gso() const { return gso_; }
    bool gro() const { return gro_; }
    // Turns GSO/GRO off, e.g. to test the plain path.
    void disable_offloads();
    // true: every datagram carries DF (IPv4) or is never fragmented (IPv6),
    // and the kernel's path MTU cache is not consulted (the tunnel probes the
    // path itself); a datagram larger than the local link fails with
    // EMSGSIZE. false: never DF, so the kernel and routers fragment what does
    // not fit. Either way alike for single and batched sends.
    Status set_dont_fragment(bool df);
    bool dont_fragment() const { return df_; }

    // Receives up to `max` messages into batch[0..) at offset 0 without
    // blocking. Returns how many; sets *err on a socket error. A message that
    // did not fit comes back with len 0 and is counted by *truncated. With GRO,
    // one message may hold several datagrams: all of `segment_size` bytes but
    // the last (Packet::segment_size; 0 for a single datagram).
    size_t recv_batch(PacketBatch& batch, size_t max, size_t* truncated, int* err);

    // Sends each packet to its addr. Blocks while the socket buffer is full,
    // which paces the device side instead of dropping.
    SendOutcome send_batch(std::span<Packet* const> packets);

    // Sends one datagram; returns 0 or the errno.
    int send_one(std::span<const uint8_t> datagram, const Endpoint& to);

private:
    UdpSocket(UniqueFd fd, Endpoint local) : fd_(std::move(fd)), local_(local) {}
    size_t send_messages(std::span<Packet* const> packets, SendOutcome& out);
    UniqueFd fd_;
    Endpoint local_;
    bool gso_ = false;
    uint32_t gso_max_segment_ = 65535;  // lowered when the path MTU refuses a GSO size
    bool gro_ = false;
    bool df_ = false;
};

}  // namespace tvpn
