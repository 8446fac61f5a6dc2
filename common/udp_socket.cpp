#include "common/udp_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>

namespace tvpn {
namespace {

constexpr int kSocketBuffer = 4 << 20;

void grow_buffers(int fd) {
    // The FORCE variants pass rmem_max for root; fall back to the capped ones.
    for (auto [force, plain] : {std::pair{SO_RCVBUFFORCE, SO_RCVBUF}, std::pair{SO_SNDBUFFORCE, SO_SNDBUF}}) {
        if (::setsockopt(fd, SOL_SOCKET, force, &kSocketBuffer, sizeof kSocketBuffer) < 0)
            ::setsockopt(fd, SOL_SOCKET, plain, &kSocketBuffer, sizeof kSocketBuffer);
    }
}

}  // namespace

Result<UdpSocket> UdpSocket::bind(const Endpoint& local) {
    UniqueFd fd(::socket(local.family(), SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd.valid()) return Error{errno_message("socket", errno)};
    if (local.family() == AF_INET6) {
        int on = 1;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    }
    if (::bind(fd.get(), local.sa(), local.len()) < 0)
        return Error{errno_message("cannot bind UDP " + local.to_string(), errno)};
    grow_buffers(fd.get());
    return UdpSocket(std::move(fd), local);
}

size_t UdpSocket::recv_batch(PacketBatch& batch, size_t max, size_t* truncated, int* err) {
    std::array<mmsghdr, kBatchSize> msgs{};
    std::array<iovec, kBatchSize> iovs{};
    if (max > kBatchSize) max = kBatchSize;
    if (max > batch.capacity()) max = batch.capacity();
    for (size_t i = 0; i < max; ++i) {
        Packet& p = batch[i];
        iovs[i] = {p.buf, kPacketCapacity};
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &p.addr;
        msgs[i].msg_hdr.msg_namelen = sizeof p.addr;
    }
    int n = ::recvmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(max), MSG_DONTWAIT, nullptr);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) *err = errno;
        return 0;
    }
    for (int i = 0; i < n; ++i) {
        Packet& p = batch[static_cast<size_t>(i)];
        p.off = 0;
        p.addrlen = msgs[i].msg_hdr.msg_namelen;
        p.len = msgs[i].msg_len;
        if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
            p.len = 0;
            ++*truncated;
        }
    }
    return static_cast<size_t>(n);
}

SendOutcome UdpSocket::send_batch(std::span<Packet* const> packets) {
    SendOutcome out;
    std::array<mmsghdr, kBatchSize> msgs{};
    std::array<iovec, kBatchSize> iovs{};
    size_t done = 0;
    while (done < packets.size()) {
        size_t count = std::min(packets.size() - done, kBatchSize);
        for (size_t i = 0; i < count; ++i) {
            Packet& p = *packets[done + i];
            iovs[i] = {p.data(), p.len};
            msgs[i] = {};
            msgs[i].msg_hdr.msg_iov = &iovs[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &p.addr;
            msgs[i].msg_hdr.msg_namelen = p.addrlen;
        }
        int n = ::sendmmsg(fd_.get(), msgs.data(), static_cast<unsigned>(count), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            // The first datagram failed (e.g. ENOBUFS, EHOSTUNREACH): drop it, go on.
            out.last_err = errno;
            ++out.failed;
            ++done;
            continue;
        }
        out.sent += static_cast<size_t>(n);
        done += static_cast<size_t>(n);
    }
    return out;
}

int UdpSocket::send_one(std::span<const uint8_t> datagram, const Endpoint& to) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (::sendto(fd_.get(), datagram.data(), datagram.size(), 0, to.sa(), to.len()) >= 0) return 0;
        if (errno != EINTR) return errno;
    }
    return EINTR;
}

}  // namespace tvpn
