#include "common/device/vndd_device.h"

#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "common/device/vndd_batch.h"

namespace tvpn {
namespace {

IoResult read_result(ssize_t n) {
    if (n >= 0) return {IoStatus::Ok, static_cast<size_t>(n)};
    if (errno == EAGAIN || errno == EINTR) return {IoStatus::WouldBlock};
    // The module drops a frame that does not fit rather than cutting it.
    if (errno == EMSGSIZE) return {IoStatus::Truncated};
    return {IoStatus::Failed, 0, errno};
}

IoResult write_result(ssize_t n) {
    if (n >= 0) return {IoStatus::Ok, static_cast<size_t>(n)};
    if (errno == EAGAIN || errno == EINTR) return {IoStatus::WouldBlock};
    return {IoStatus::Failed, 0, errno};
}

// Reads go one frame per call until the first read_batch, which switches
// the file to batched reads (VNDD_IOC_SETFLAGS); a later single-frame read
// switches back. Writes are batched whenever the module offers it: one
// record is a valid batch.
class VnddDevice final : public Device {
public:
    VnddDevice(std::string name, UniqueFd fd, uint32_t flags)
        : name_(std::move(name)), fd_(std::move(fd)), flags_(flags), vnet_(flags & VNDD_ATTACH_VNET_HDR) {}
    const std::string& name() const override { return name_; }
    const char* backend() const override { return "vndd"; }
    int poll_fd() const override { return fd_.get(); }
    bool offloads() const override { return vnet_; }
    // Batched reads and writes come together (VNDD_FEAT_BATCH).
    bool batches() const override { return flags_ & VNDD_ATTACH_BATCH_WRITE; }

    IoResult read_frame(std::span<uint8_t> buf) override {
        if (!vnet_) {
            if (!set_batch_reads(false)) return {IoStatus::Failed, 0, errno};
            return read_result(::read(fd_.get(), buf.data(), buf.size()));
        }
        OffloadHeader h;
        IoResult r = read_offload(buf, h);
        return plain_frame(buf, r, h);
    }

    IoResult read_offload(std::span<uint8_t> buf, OffloadHeader& h) override {
        h = {};
        if (!vnet_) return read_frame(buf);
        if (!set_batch_reads(false)) return {IoStatus::Failed, 0, errno};
        iovec iov[2] = {{&h, sizeof h}, {buf.data(), buf.size()}};
        ssize_t n = ::readv(fd_.get(), iov, 2);
        if (n >= 0 && static_cast<size_t>(n) < sizeof h) return {IoStatus::Truncated, 0};
        return read_result(n < 0 ? n : n - static_cast<ssize_t>(sizeof h));
    }

    IoResult read_batch(std::span<uint8_t> buf, std::span<RxFrame> out) override {
        // The module returns up to VNDD_BATCH_MAX records a call: fewer slots
        // cannot take them all.
        if (!(flags_ & VNDD_ATTACH_BATCH_WRITE) || out.size() < VNDD_BATCH_MAX) return Device::read_batch(buf, out);
        if (!set_batch_reads(true)) return {IoStatus::Failed, 0, errno};
        ssize_t n = ::read(fd_.get(), buf.data(), buf.size());
        if (n < 0) return read_result(n);
        int count = parse_vndd_batch(buf, static_cast<size_t>(n), vnet_, out);
        // More records than slots, or a malformed batch: the module broke its ABI.
        if (count < 0) return {IoStatus::Failed, 0, EPROTO};
        return {IoStatus::Ok, static_cast<size_t>(count)};
    }

    IoResult write_frame(std::span<const uint8_t> frame) override { return write_offload(frame, OffloadHeader{}); }

    IoResult write_offload(std::span<const uint8_t> frame, const OffloadHeader& h) override {
        if (!vnet_ && (h.is_gso() || h.flags)) return {IoStatus::Failed, 0, EINVAL};
        if (flags_ & VNDD_ATTACH_BATCH_WRITE) {
            TxFrame f{frame, h};
            IoResult r = write_batch({&f, 1});
            if (r.status == IoStatus::Ok) r.size = frame.size();
            return r;
        }
        if (!vnet_) return write_result(::write(fd_.get(), frame.data(), frame.size()));
        iovec iov[2] = {{const_cast<OffloadHeader*>(&h), sizeof h}, {const_cast<uint8_t*>(frame.data()), frame.size()}};
        ssize_t n = ::writev(fd_.get(), iov, 2);
        if (n >= static_cast<ssize_t>(sizeof h)) n -= static_cast<ssize_t>(sizeof h);
        return write_result(n);
    }

    IoResult write_batch(std::span<const TxFrame> frames) override {
        if (!(flags_ & VNDD_ATTACH_BATCH_WRITE) || frames.empty()) return Device::write_batch(frames);
        if (!vnet_)
            for (const TxFrame& f : frames)
                if (f.hdr.is_gso() || f.hdr.flags) return Device::write_batch(frames);
        writer_.build(frames, vnet_);
        ssize_t n = ::writev(fd_.get(), writer_.iov(), writer_.iovcnt());
        if (n < 0) return write_result(n);
        size_t taken = writer_.records_taken(static_cast<size_t>(n));
        if (taken == 0) return {IoStatus::Failed, 0, EPROTO};
        return {IoStatus::Ok, taken};
    }

private:
    // Switches batched reads on or off (one ioctl, only on a change).
    bool set_batch_reads(bool on) {
        if (batch_reads_ == on) return true;
        vndd_flags req{};
        req.flags = flags_ | (on ? VNDD_ATTACH_BATCH_READ : 0);
        if (::ioctl(fd_.get(), VNDD_IOC_SETFLAGS, &req) < 0) return false;
        batch_reads_ = on;
        return true;
    }

    std::string name_;
    UniqueFd fd_;  // attached; closing it detaches
    uint32_t flags_;
    bool vnet_;
    bool batch_reads_ = false;
    VnddBatchWriter writer_;
};

}  // namespace

std::unique_ptr<Device> make_vndd_device(std::string name, UniqueFd fd, uint32_t attach_flags) {
    return std::make_unique<VnddDevice>(std::move(name), std::move(fd), attach_flags);
}

}  // namespace tvpn
