// vndd_probe orphan-purge: frames queued for a file whose interface goes
// away (VNDD_IOC_REMOVE, `ip link del`, its namespace exiting) are freed
// then, not when the file is finally closed: they would pin memory and
// point at a freed device. Seen from user space as memory: 1000 frames of
// 60 KB are queued, the interface removed with the file still open, and
// the memory must come back while it is.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/vm/probe/probe.h"

namespace probe {
namespace {

constexpr const char* kIf = "vq0";
constexpr int kFrames = 1000;
constexpr size_t kPayload = 60000;
// Half of what the frames take: far above what anything else in the VM moves.
constexpr long kSignalKb = kFrames * static_cast<long>(kPayload) / 1024 / 2;

long mem_free_kb() {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("MemFree:", 0) == 0) return std::strtol(line.c_str() + 8, nullptr, 10);
    return -1;
}

bool sh(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

// The interface with MTU 65000 (one frame per 60 KB datagram), attached.
UniqueFd add_and_attach(Report& r, int ctl, const std::string& how) {
    vndd_add req = make_add(kIf, 65000);
    req.flags = VNDD_ADD_NOARP;
    r.expect_code(ioc(ctl, VNDD_IOC_ADD, &req), 0, how + ": add " + kIf);
    r.check(sh(std::string("ip addr add 192.168.76.1/24 dev ") + kIf + " && ip link set " + kIf + " up"),
            how + ": address and up");
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), kIf), 0, how + ": attach");
    return fd;
}

// Sends kFrames datagrams of kPayload bytes out through kIf; none is read.
// Returns what happened, for the check's detail.
std::string fill_queue() {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in to = ipv4_addr("192.168.76.2", 9);
    std::string payload(kPayload, 'q');
    int sent = 0, err = 0;
    for (int i = 0; i < kFrames; ++i) {
        if (::sendto(s.get(), payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) > 0) ++sent;
        else err = errno;
    }
    return std::to_string(sent) + " sent" + (err ? std::string(" (") + strerrorname_np(err) + ")" : "") + ", " +
           std::to_string(stat_value(kIf, "tx_dropped")) + " dropped";
}

// True once MemFree is back above `kb` (bounded: 10 s).
bool memory_back(long kb) {
    for (int i = 0; i < 100; ++i) {
        if (mem_free_kb() >= kb) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

void check_freed_while_open(Report& r, int fd, long filled, const std::string& how) {
    bool back = memory_back(filled + kSignalKb);
    r.check(back, how + ": the queued frames are freed while the file is still open",
            std::to_string((mem_free_kb() - filled) / 1024) + " MiB back");
    char buf[64];
    expect_rc(r, ::read(fd, buf, sizeof buf), ENODEV, how + ": then read: ENODEV");
}

// Adds and attaches kIf and fills its queue; MemFree then, in KiB.
long attach_and_fill(Report& r, int ctl, const std::string& how, UniqueFd& fd) {
    long before = mem_free_kb();
    fd = add_and_attach(r, ctl, how);
    std::string filling = fill_queue();
    long filled = mem_free_kb();
    r.check(before - filled > kSignalKb, how + ": 1000 frames of 60 KB queued",
            std::to_string((before - filled) / 1024) + " MiB taken; " + filling);
    return filled;
}

// `how` removes the interface: "remove" (the ioctl) or "ip link del".
void orphaned_by(Report& r, int ctl, const std::string& how) {
    UniqueFd fd;
    long filled = attach_and_fill(r, ctl, how, fd);
    if (how == "remove")
        r.expect_code(remove_if(ctl, kIf, VNDD_REMOVE_FORCE), 0, how + ": remove with FORCE");
    else
        r.check(sh(std::string("ip link del ") + kIf), how + ": ip link del");
    check_freed_while_open(r, fd.get(), filled, how);
}

// The same with the interface in a namespace this thread leaves, which
// then exits (a socket would keep it alive: the datagrams are orphaned).
void orphaned_by_netns_exit(Report& r, int ctl) {
    const std::string how = "namespace exit";
    UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    r.check(home.valid() && ::unshare(CLONE_NEWNET) == 0, how + ": a new network namespace");
    UniqueFd fd;
    long filled = attach_and_fill(r, ctl, how, fd);
    r.check(::setns(home.get(), CLONE_NEWNET) == 0, how + ": back to the first namespace");
    check_freed_while_open(r, fd.get(), filled, how);
}

}  // namespace

void case_orphan_purge(Report& r) {
    UniqueFd ctl = open_ctl();
    orphaned_by(r, ctl.get(), "remove");
    orphaned_by(r, ctl.get(), "ip link del");
    orphaned_by_netns_exit(r, ctl.get());
}

}  // namespace probe
