// Control-path checks: version, malformed arguments, attach races, privilege.
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "tests/vm/probe/probe.h"

namespace probe {
namespace {

// Addresses no process may hand to the kernel as its own memory.
void* const kGarbage[] = {nullptr, reinterpret_cast<void*>(1), reinterpret_cast<void*>(0xffffffff81000000UL),
                          reinterpret_cast<void*>(0x00007ffffffff000UL)};

// A page followed by an inaccessible one: a struct placed at the end straddles both.
struct Straddle {
    char* base = nullptr;
    Straddle() {
        base = static_cast<char*>(::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        ::mprotect(base + 4096, 4096, PROT_NONE);
    }
    ~Straddle() { ::munmap(base, 8192); }
    void* at_end(size_t keep) { return base + 4096 - keep; }
};

void expect(Report& r, int got, int want, const std::string& what) { r.expect_code(got, want, what); }

void bad_add(Report& r, int fd, vndd_add req, int want, const std::string& what) {
    expect(r, ioc(fd, VNDD_IOC_ADD, &req), want, "add " + what);
}

void badargs_names(Report& r, int fd) {
    const char* bad[] = {"", "a/b", ".", "..", "a b", "a:b", "vb%d", "tab\tx"};
    for (const char* name : bad) bad_add(r, fd, make_add(name), EINVAL, "name '" + std::string(name) + "'");
    vndd_add req = make_add("");
    std::memset(req.name, 'a', sizeof req.name);
    bad_add(r, fd, req, EINVAL, "16-byte name without NUL");
    req = make_add("vb0");
    req.name[5] = 'x';
    bad_add(r, fd, req, EINVAL, "bytes after the name's NUL");
    req = make_add("vb0");
    req.name[1] = '\xff';
    req.name[2] = '\x01';
    bad_add(r, fd, req, EINVAL, "control byte in name");
}

void badargs_mac_mtu_flags(Report& r, int fd) {
    const uint8_t macs[][6] = {{0x01, 0, 0x5e, 0, 0, 1}, {0, 0, 0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                               {0x33, 0x33, 0, 0, 0, 1}};
    for (const auto& mac : macs) {
        vndd_add req = make_add("vb0");
        req.flags = VNDD_ADD_MAC;
        std::memcpy(req.mac, mac, 6);
        bad_add(r, fd, req, EADDRNOTAVAIL, "multicast/zero/broadcast MAC " + std::to_string(mac[0]));
    }
    vndd_add req = make_add("vb0");
    req.mac[0] = 2;
    bad_add(r, fd, req, EINVAL, "MAC bytes without VNDD_ADD_MAC");
    for (uint32_t mtu : {0u, 1u, 67u, 65001u, 65536u, 0x7fffffffu, 0xffffffffu})
        bad_add(r, fd, make_add("vb0", mtu), EINVAL, "MTU " + std::to_string(mtu));
    req = make_add("vb0");
    req.flags = 1u << 7;
    bad_add(r, fd, req, EINVAL, "unknown flag");
    req = make_add("vb0");
    req.reserved[4] = 1;
    bad_add(r, fd, req, EINVAL, "non-zero reserved field");
}

void badargs_pointers(Report& r, int fd) {
    const unsigned long cmds[] = {VNDD_IOC_GETVER, VNDD_IOC_ADD, VNDD_IOC_REMOVE, VNDD_IOC_ATTACH, VNDD_IOC_LIST};
    Straddle page;
    for (unsigned long cmd : cmds) {
        for (void* p : kGarbage) expect(r, ioc(fd, cmd, p), EFAULT, "garbage pointer, ioctl nr " + std::to_string(_IOC_NR(cmd)));
        expect(r, ioc(fd, cmd, page.at_end(8)), EFAULT, "struct straddling an unmapped page, nr " + std::to_string(_IOC_NR(cmd)));
    }
    for (unsigned long cmd : {0UL, static_cast<unsigned long>(_IO(VNDD_IOC_MAGIC, 0x42)),
                              static_cast<unsigned long>(_IOW(VNDD_IOC_MAGIC, 0x01, uint32_t)),
                              static_cast<unsigned long>(_IOR(VNDD_IOC_MAGIC, 0x10, vndd_list))}) {
        vndd_list buf{};
        expect(r, ioc(fd, cmd, &buf), ENOTTY, "unknown ioctl " + std::to_string(cmd));
    }
}

void badargs_refs(Report& r, int fd) {
    for (unsigned long cmd : {VNDD_IOC_REMOVE, VNDD_IOC_ATTACH}) {
        std::string nr = " (nr " + std::to_string(_IOC_NR(cmd)) + ")";
        vndd_ref req = make_ref("lo");
        expect(r, ioc(fd, cmd, &req), ENODEV, "'lo' is not a vndd interface" + nr);
        req = make_ref("nosuch0");
        expect(r, ioc(fd, cmd, &req), ENODEV, "missing interface" + nr);
        req = make_ref("a/b");
        expect(r, ioc(fd, cmd, &req), EINVAL, "bad name" + nr);
        req = make_ref("vb0", 1u << 9);
        expect(r, ioc(fd, cmd, &req), EINVAL, "unknown flag" + nr);
        req = make_ref("vb0");
        req.reserved[2] = 7;
        expect(r, ioc(fd, cmd, &req), EINVAL, "non-zero reserved" + nr);
    }
    vndd_list list{};
    list.reserved = 1;
    expect(r, ioc(fd, VNDD_IOC_LIST, &list), EINVAL, "list with non-zero reserved");
    list = vndd_list{};
    list.after_ifindex = 0xffffffffu;
    expect(r, ioc(fd, VNDD_IOC_LIST, &list), 0, "list past the last ifindex");
    r.check(list.count == 0 && list.more == 0, "empty list past the end");
}

void good_adds(Report& r, int fd) {
    vndd_add req = make_add("vb0", 9000);
    req.flags = VNDD_ADD_MAC | VNDD_ADD_NOARP;
    const uint8_t mac[6] = {0x02, 0, 0x5e, 0x10, 0, 1};
    std::memcpy(req.mac, mac, 6);
    expect(r, ioc(fd, VNDD_IOC_ADD, &req), 0, "add vb0 with MAC, NOARP, MTU 9000");
    expect(r, ioc(fd, VNDD_IOC_ADD, &req), EEXIST, "add vb0 again");
    bad_add(r, fd, make_add("lo"), EEXIST, "name of an existing non-vndd interface");
    bool seen = false;
    for (const auto& info : list_all(fd))
        if (std::strcmp(info.name, "vb0") == 0)
            seen = info.mtu == 9000 && std::memcmp(info.mac, mac, 6) == 0 && (info.flags & VNDD_INFO_NOARP) &&
                   !(info.flags & VNDD_INFO_ATTACHED);
    r.check(seen, "list shows vb0 with its MAC, MTU and NOARP");
    r.check(sys_value("vb0", "mtu") == 9000, "sysfs MTU of vb0");
    for (uint32_t mtu : {static_cast<uint32_t>(VNDD_MIN_MTU), static_cast<uint32_t>(VNDD_MAX_MTU)}) {
        vndd_add edge = make_add("vbm", mtu);
        expect(r, ioc(fd, VNDD_IOC_ADD, &edge), 0, "add with boundary MTU " + std::to_string(mtu));
        expect(r, remove_if(fd, "vbm", 0), 0, "remove vbm");
    }
    expect(r, remove_if(fd, "vb0", 0), 0, "remove vb0");
    expect(r, remove_if(fd, "vb0", 0), ENODEV, "remove vb0 again");
    r.check(!if_exists("vb0"), "vb0 is gone");
}

}  // namespace

void case_abi(Report& r) {
    UniqueFd fd = open_ctl();
    r.check(fd.valid(), "open /dev/vnddmgr", fd.valid() ? "" : strerror(errno));
    vndd_version ver{};
    expect(r, ioc(fd.get(), VNDD_IOC_GETVER, &ver), 0, "GETVER");
    r.check(ver.major == VNDD_ABI_MAJOR && ver.minor == VNDD_ABI_MINOR, "ABI version matches the header");
    r.check((ver.features & (VNDD_FEAT_VNET_HDR | VNDD_FEAT_BATCH)) == (VNDD_FEAT_VNET_HDR | VNDD_FEAT_BATCH),
            "ABI 2.0 announces offloads and batches");
    r.check((ver.features & VNDD_FEAT_FRAME_RW) && ver.max_frame == VNDD_MAX_FRAME, "features and max frame");
    // ABI 1's magic (0xDD, zfcp's) is not answered any more.
    expect(r, ioc(fd.get(), _IOR(0xDD, 0x00, vndd_version), &ver), ENOTTY, "ABI 1's GETVER: ENOTTY");
    r.check(::lseek(fd.get(), 0, SEEK_SET) < 0 && errno == ESPIPE, "lseek: ESPIPE");
}

void case_badargs(Report& r) {
    UniqueFd fd = open_ctl();
    r.check(fd.valid(), "open /dev/vnddmgr");
    badargs_names(r, fd.get());
    badargs_mac_mtu_flags(r, fd.get());
    badargs_pointers(r, fd.get());
    badargs_refs(r, fd.get());
    good_adds(r, fd.get());
}

// Two files attach to one interface at the same moment: exactly one wins.
void case_race(Report& r) {
    UniqueFd ctl = open_ctl();
    int both_won = 0, none_won = 0, odd = 0;
    for (int round = 0; round < 100; ++round) {
        add_if(ctl.get(), "vr0");
        UniqueFd a = open_ctl(), b = open_ctl();
        std::atomic<int> ready{0};
        int ra = -1, rb = -1;
        auto racer = [&ready](int fd, int& out) {
            ready.fetch_add(1);
            while (ready.load() < 2) {
            }
            out = attach_if(fd, "vr0");
        };
        std::thread ta(racer, a.get(), std::ref(ra)), tb(racer, b.get(), std::ref(rb));
        ta.join();
        tb.join();
        if (ra == 0 && rb == 0) ++both_won;
        else if (ra != 0 && rb != 0) ++none_won;
        else if ((ra | rb) != EBUSY) ++odd;
        a.reset();
        b.reset();
        remove_if(ctl.get(), "vr0", 0);
    }
    r.check(both_won == 0 && none_won == 0 && odd == 0, "100 attach races: one winner, one EBUSY each",
            std::to_string(both_won) + " double, " + std::to_string(none_won) + " none, " + std::to_string(odd) + " odd");

    // Attach, write and close against add and forced remove, concurrently.
    std::set<int> seen;
    std::atomic<bool> stop{false};
    std::thread churn([&] {
        for (int i = 0; i < 300; ++i) {
            add_if(ctl.get(), "vr1");
            remove_if(ctl.get(), "vr1");
        }
        stop = true;
    });
    const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5};
    for (int i = 0; i < 100000 && !stop; ++i) {
        UniqueFd f = open_ctl(O_NONBLOCK);
        int err = attach_if(f.get(), "vr1");
        seen.insert(err);
        if (err == 0 && ::write(f.get(), frame, sizeof frame) < 0) seen.insert(errno);
    }
    churn.join();
    bool fine = true;
    // vr1 is never set up: a write that finds it fails with ENETDOWN.
    for (int e : seen) fine = fine && (e == 0 || e == ENODEV || e == ENETDOWN);
    r.check(fine, "attach/write racing add/remove gives only success, ENODEV or ENETDOWN");
    remove_if(ctl.get(), "vr1");
}

namespace {

// Runs `body` in a child process; its return value is the child's failure count.
template <typename F>
void in_child(Report& r, const std::string& what, F body) {
    std::fflush(stdout);
    pid_t pid = ::fork();
    if (pid == 0) {
        Report child;
        body(child);
        std::fflush(stdout);
        ::_exit(child.failures > 100 ? 100 : child.failures);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.check(WIFEXITED(status) && WEXITSTATUS(status) == 0, what);
}

bool drop_net_admin() {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &hdr, data) < 0) return false;
    for (auto& d : data) {
        d.effective &= ~(1u << CAP_NET_ADMIN);
        d.permitted &= ~(1u << CAP_NET_ADMIN);
        d.inheritable &= ~(1u << CAP_NET_ADMIN);
        break;  // CAP_NET_ADMIN (12) lives in the first word
    }
    return ::syscall(SYS_capset, &hdr, data) == 0;
}

bool become_nobody() { return ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0; }

void refused_all(Report& c, int fd, const std::string& who) {
    expect(c, add_if(fd, "vp9"), EPERM, who + ": add refused");
    expect(c, remove_if(fd, "lo"), EPERM, who + ": remove refused");
    expect(c, attach_if(fd, "lo"), EPERM, who + ": attach refused");
    vndd_version ver{};
    expect(c, ioc(fd, VNDD_IOC_GETVER, &ver), 0, who + ": GETVER allowed");
    vndd_list list{};
    expect(c, ioc(fd, VNDD_IOC_LIST, &list), 0, who + ": LIST allowed");
}

}  // namespace

// Run by an ordinary user given access to the device file.
void case_unprivileged(Report& r) {
    UniqueFd fd = open_ctl();
    r.check(fd.valid(), "open /dev/vnddmgr (made accessible for this check)");
    refused_all(r, fd.get(), "unprivileged user");
}

void case_privs(Report& r) {
    UniqueFd fd = open_ctl();
    r.check(fd.valid(), "root opens /dev/vnddmgr");
    in_child(r, "root without CAP_NET_ADMIN is refused", [&](Report& c) {
        c.check(drop_net_admin(), "drop CAP_NET_ADMIN");
        refused_all(c, fd.get(), "uid 0 without CAP_NET_ADMIN");
    });
    in_child(r, "uid 65534 is refused", [&](Report& c) {
        c.check(become_nobody(), "become uid 65534");
        UniqueFd mine = open_ctl();
        c.expect_errno(mine.valid() ? 0 : -1, errno, EACCES, "uid 65534 cannot open the 0600 device");
        refused_all(c, fd.get(), "uid 65534 with root's fd");
    });
    in_child(r, "capabilities of a child user namespace do not cover the host's network namespace", [&](Report& c) {
        c.check(::unshare(CLONE_NEWUSER) == 0, "unshare(CLONE_NEWUSER)", strerror(errno));
        expect(c, add_if(fd.get(), "vp9"), EPERM, "add from a child user namespace");
    });
    in_child(r, "an unprivileged user owning a new network namespace creates interfaces there", [&](Report& c) {
        c.check(become_nobody(), "become uid 65534");
        c.check(::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0, "unshare(user+net)", strerror(errno));
        expect(c, add_if(fd.get(), "vpu0"), 0, "add vpu0 in its own namespace");
        c.check(if_exists("vpu0"), "vpu0 exists in the new namespace");
        bool listed = false;
        for (const auto& info : list_all(fd.get())) listed = listed || std::strcmp(info.name, "vpu0") == 0;
        c.check(listed, "list in the new namespace shows vpu0");
        // Leaving vpu0 behind: the namespace's teardown must delete it.
    });
    r.check(!if_exists("vpu0"), "vpu0 never appeared in the initial namespace");
}

}  // namespace probe
