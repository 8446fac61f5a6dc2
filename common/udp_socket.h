// The UDP transport: one bound socket, batched receive and send
// (recvmmsg/sendmmsg) so that a burst of frames costs one system call.
#pragma once

#include <span>

#include "common/endpoint.h"
#include "common/packet.h"
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

    // Receives up to `max` datagrams into batch[0..) at offset 0 without
    // blocking. Returns how many; sets *err on a socket error. Datagrams that
    // did not fit a buffer come back with len 0 and are counted by *truncated.
    size_t recv_batch(PacketBatch& batch, size_t max, size_t* truncated, int* err);

    // Sends each packet to its addr. Blocks while the socket buffer is full,
    // which paces the device side instead of dropping.
    SendOutcome send_batch(std::span<Packet* const> packets);

    // Sends one datagram; returns 0 or the errno.
    int send_one(std::span<const uint8_t> datagram, const Endpoint& to);

private:
    UdpSocket(UniqueFd fd, Endpoint local) : fd_(std::move(fd)), local_(local) {}
    UniqueFd fd_;
    Endpoint local_;
};

}  // namespace tvpn
