#include "common/device/tap_backend.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/unique_fd.h"

namespace tvpn {
namespace {

constexpr const char* kTunPath = "/dev/net/tun";

std::string sysfs_read(const std::string& name, const char* attr) {
    std::ifstream in("/sys/class/net/" + name + "/" + attr);
    std::string value;
    std::getline(in, value);
    return value;
}

ifreq make_ifreq(const std::string& name) {
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, name.data(), std::min(name.size(), sizeof ifr.ifr_name - 1));
    return ifr;
}

Result<UniqueFd> open_tun(const std::string& name, short extra_flags, bool nonblock) {
    int flags = O_RDWR | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0);
    UniqueFd fd(::open(kTunPath, flags));
    if (!fd.valid()) return Error{errno_message(std::string("cannot open ") + kTunPath, errno)};
    ifreq ifr = make_ifreq(name);
    ifr.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | extra_flags);
    if (::ioctl(fd.get(), TUNSETIFF, &ifr) < 0) {
        int err = errno;
        if (err == EBUSY) return Error{name + " is already attached to another process"};
        if (err == EEXIST) return Error{"interface " + name + " already exists"};
        return Error{errno_message("TUNSETIFF " + name, err)};
    }
    return fd;
}

// Applies MTU, MAC and ARP settings through an ordinary socket's ioctls.
Status configure_link(const InterfaceSpec& spec) {
    UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid()) sock.reset(::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock.valid()) return Error{errno_message("socket", errno)};
    ifreq ifr = make_ifreq(spec.name);
    ifr.ifr_mtu = spec.mtu;
    if (::ioctl(sock.get(), SIOCSIFMTU, &ifr) < 0)
        return Error{errno_message("cannot set MTU " + std::to_string(spec.mtu) + " on " + spec.name, errno)};
    if (spec.mac) {
        ifr = make_ifreq(spec.name);
        ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
        std::memcpy(ifr.ifr_hwaddr.sa_data, spec.mac->data(), spec.mac->size());
        if (::ioctl(sock.get(), SIOCSIFHWADDR, &ifr) < 0)
            return Error{errno_message("cannot set MAC on " + spec.name, errno)};
    }
    if (spec.noarp) {
        ifr = make_ifreq(spec.name);
        if (::ioctl(sock.get(), SIOCGIFFLAGS, &ifr) < 0) return Error{errno_message("SIOCGIFFLAGS", errno)};
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_NOARP);
        if (::ioctl(sock.get(), SIOCSIFFLAGS, &ifr) < 0)
            return Error{errno_message("cannot set NOARP on " + spec.name, errno)};
    }
    return {};
}

IoResult io_result(ssize_t n, size_t capacity) {
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return {IoStatus::WouldBlock};
        return {IoStatus::Failed, 0, errno};
    }
    // tun cuts frames that do not fit; a full buffer means it may have.
    if (static_cast<size_t>(n) >= capacity) return {IoStatus::Truncated, static_cast<size_t>(n)};
    return {IoStatus::Ok, static_cast<size_t>(n)};
}

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif

// Asks tun for checksum and segmentation offloads: the stack then hands us
// 64 KiB TCP (and, since Linux 6.2, UDP) super-frames that we split once
// instead of reading every segment with its own system call.
bool enable_offloads(int fd) {
    const unsigned tcp = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
    if (::ioctl(fd, TUNSETOFFLOAD, tcp | TUN_F_USO4 | TUN_F_USO6) == 0) return true;
    return ::ioctl(fd, TUNSETOFFLOAD, tcp) == 0;
}

class TapDevice final : public Device {
public:
    TapDevice(std::string name, UniqueFd fd, bool vnet) : name_(std::move(name)), fd_(std::move(fd)), vnet_(vnet) {}
    const std::string& name() const override { return name_; }
    const char* backend() const override { return "tap"; }
    int poll_fd() const override { return fd_.get(); }
    bool offloads() const override { return vnet_; }

    IoResult read_frame(std::span<uint8_t> buf) override {
        OffloadHeader h;
        IoResult r = read_offload(buf, h);
        return plain_frame(buf, r, h);
    }

    IoResult read_offload(std::span<uint8_t> buf, OffloadHeader& h) override {
        if (!vnet_) {
            h = {};
            return io_result(::read(fd_.get(), buf.data(), buf.size()), buf.size());
        }
        iovec iov[2] = {{&h, sizeof h}, {buf.data(), buf.size()}};
        ssize_t n = ::readv(fd_.get(), iov, 2);
        if (n >= 0 && static_cast<size_t>(n) < sizeof h) return {IoStatus::Truncated, 0};
        return io_result(n < 0 ? n : n - static_cast<ssize_t>(sizeof h), buf.size());
    }

    IoResult write_frame(std::span<const uint8_t> frame) override { return write_offload(frame, OffloadHeader{}); }

    IoResult write_offload(std::span<const uint8_t> frame, const OffloadHeader& h) override {
        ssize_t n;
        if (vnet_) {
            iovec iov[2] = {{const_cast<OffloadHeader*>(&h), sizeof h}, {const_cast<uint8_t*>(frame.data()), frame.size()}};
            n = ::writev(fd_.get(), iov, 2);
            if (n >= static_cast<ssize_t>(sizeof h)) n -= static_cast<ssize_t>(sizeof h);
        } else {
            if (h.is_gso() || h.flags) return {IoStatus::Failed, 0, EINVAL};
            n = ::write(fd_.get(), frame.data(), frame.size());
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return {IoStatus::WouldBlock};
            return {IoStatus::Failed, 0, errno};
        }
        return {IoStatus::Ok, static_cast<size_t>(n)};
    }

private:
    std::string name_;
    UniqueFd fd_;
    bool vnet_;
};

}  // namespace

bool TapBackend::available() { return ::access(kTunPath, F_OK) == 0; }

bool interface_exists(const std::string& name) {
    return !check_ifname(name) && ::if_nametoindex(name.c_str()) != 0;
}

bool is_tap_interface(const std::string& name) {
    std::string flags = sysfs_read(name, "tun_flags");
    if (flags.empty()) return false;
    unsigned long value = std::strtoul(flags.c_str(), nullptr, 16);
    return (value & IFF_TAP) != 0;
}

pid_t find_tap_holder(const std::string& name) {
    // tun prints "iff:\tNAME" in the fdinfo of every file attached to NAME.
    // Names are per network namespace: only processes in ours count.
    const std::string needle = "iff:\t" + name + "\n";
    struct stat own_ns{};
    if (::stat("/proc/self/ns/net", &own_ns) < 0) return 0;
    DIR* proc = ::opendir("/proc");
    if (!proc) return 0;
    pid_t holder = 0;
    while (dirent* p = ::readdir(proc)) {
        if (p->d_name[0] < '1' || p->d_name[0] > '9') continue;
        struct stat ns{};
        std::string base = std::string("/proc/") + p->d_name;
        if (::stat((base + "/ns/net").c_str(), &ns) < 0 || ns.st_ino != own_ns.st_ino || ns.st_dev != own_ns.st_dev)
            continue;
        std::string fdinfo = std::string("/proc/") + p->d_name + "/fdinfo";
        DIR* fds = ::opendir(fdinfo.c_str());
        if (!fds) continue;
        while (dirent* f = ::readdir(fds)) {
            if (f->d_name[0] == '.') continue;
            std::ifstream in(fdinfo + "/" + f->d_name);
            std::stringstream text;
            text << in.rdbuf();
            if (text.str().find(needle) != std::string::npos) {
                holder = static_cast<pid_t>(std::atoi(p->d_name));
                break;
            }
        }
        ::closedir(fds);
        if (holder) break;
    }
    ::closedir(proc);
    return holder;
}

Result<InterfaceInfo> read_interface_info(const std::string& name) {
    InterfaceInfo info;
    info.name = name;
    auto mac = parse_mac(sysfs_read(name, "address"));
    if (mac) info.mac = *mac;
    info.mtu = static_cast<int>(parse_long(sysfs_read(name, "mtu"), 0, 1 << 20).value_or(0));
    return info;
}

Status TapBackend::create(const InterfaceSpec& spec) {
    if (auto err = check_ifname(spec.name)) return *err;
    if (auto err = check_mtu(spec.mtu)) return *err;
    if (interface_exists(spec.name)) return Error{"interface " + spec.name + " already exists"};
    // IFF_TUN_EXCL: fail rather than attach if someone creates it meanwhile.
    auto fd = open_tun(spec.name, IFF_TUN_EXCL, false);
    if (!fd) return fd.error();
    // Until TUNSETPERSIST, closing the fd deletes the interface: a failed
    // configuration leaves nothing behind.
    if (auto st = configure_link(spec); !st) return st;
    if (::ioctl(fd->get(), TUNSETPERSIST, 1) < 0) return Error{errno_message("TUNSETPERSIST", errno)};
    return {};
}

Status TapBackend::remove(const std::string& name) {
    if (auto err = check_ifname(name)) return *err;
    if (!interface_exists(name)) return Error{"interface " + name + " does not exist"};
    if (!is_tap_interface(name)) return Error{name + " is not a TAP interface; not removing it"};
    if (pid_t pid = find_tap_holder(name))
        return Error{name + " is in use by process " + std::to_string(pid) + "; stop it first"};
    auto fd = open_tun(name, 0, false);
    if (!fd) return fd.error();
    if (::ioctl(fd->get(), TUNSETPERSIST, 0) < 0) return Error{errno_message("TUNSETPERSIST 0", errno)};
    return {};
}

Result<std::unique_ptr<Device>> TapBackend::attach(const std::string& name) {
    if (auto err = check_ifname(name)) return *err;
    if (!interface_exists(name))
        return Error{"interface " + name + " does not exist (create it with: vnddconfig add " + name + ")"};
    if (!is_tap_interface(name)) return Error{name + " is not a TAP interface"};
    auto fd = open_tun(name, IFF_VNET_HDR, true);
    if (!fd) return fd.error();
    int hdr = sizeof(OffloadHeader);
    bool vnet = ::ioctl(fd->get(), TUNSETVNETHDRSZ, &hdr) == 0 && enable_offloads(fd->get());
    if (!vnet) {
        // Without offloads the header is only overhead: attach plainly.
        fd = open_tun(name, 0, true);
        if (!fd) return fd.error();
    }
    return std::unique_ptr<Device>(new TapDevice(name, std::move(*fd), vnet));
}

Result<std::vector<InterfaceInfo>> TapBackend::list() {
    std::vector<InterfaceInfo> out;
    DIR* dir = ::opendir("/sys/class/net");
    if (!dir) return Error{errno_message("/sys/class/net", errno)};
    while (dirent* d = ::readdir(dir)) {
        std::string name = d->d_name;
        if (name[0] == '.' || !is_tap_interface(name)) continue;
        auto info = read_interface_info(name);
        if (!info) continue;
        info->backend = kind();
        info->attached_pid = find_tap_holder(name);
        info->attached = info->attached_pid != 0;
        out.push_back(std::move(*info));
    }
    ::closedir(dir);
    return out;
}

}  // namespace tvpn
