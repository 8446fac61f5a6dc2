#include <fcntl.h>
#include <net/if.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>

#include "tests/vm/probe/probe.h"

namespace probe {

void Report::check(bool ok, const std::string& what, const std::string& detail) {
    if (!ok) ++failures;
    std::printf("%s - %s%s%s\n", ok ? "ok" : "not ok", what.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stdout);
}

void Report::expect_errno(int rc, int err, int want, const std::string& what) {
    int got = rc < 0 ? err : 0;
    check(got == want, what,
          got == want ? "" : std::string("got ") + (got ? strerrorname_np(got) : "success") + ", want " +
                                 (want ? strerrorname_np(want) : "success"));
}

UniqueFd open_ctl(int extra_flags) {
    return UniqueFd(::open("/dev/" VNDD_DEVICE_NAME, O_RDWR | O_CLOEXEC | extra_flags));
}

vndd_add make_add(const std::string& name, uint32_t mtu) {
    vndd_add req{};
    std::strncpy(req.name, name.c_str(), sizeof req.name - 1);
    req.mtu = mtu;
    return req;
}

vndd_ref make_ref(const std::string& name, uint32_t flags) {
    vndd_ref req{};
    std::strncpy(req.name, name.c_str(), sizeof req.name - 1);
    req.flags = flags;
    return req;
}

int add_if(int fd, const std::string& name, uint32_t flags) {
    vndd_add req = make_add(name);
    req.flags = static_cast<uint16_t>(flags);
    return ioc(fd, VNDD_IOC_ADD, &req);
}

int remove_if(int fd, const std::string& name, uint32_t flags) {
    vndd_ref req = make_ref(name, flags);
    return ioc(fd, VNDD_IOC_REMOVE, &req);
}

int attach_if(int fd, const std::string& name, uint32_t flags) {
    vndd_ref req = make_ref(name, flags);
    return ioc(fd, VNDD_IOC_ATTACH, &req);
}

std::vector<vndd_info> list_all(int fd) {
    std::vector<vndd_info> out;
    vndd_list req{};
    for (int i = 0; i < 1000; ++i) {
        uint32_t after = req.after_ifindex;
        req = vndd_list{};
        req.after_ifindex = after;
        if (ioc(fd, VNDD_IOC_LIST, &req) != 0) break;
        for (uint32_t k = 0; k < req.count && k < VNDD_LIST_BATCH; ++k) out.push_back(req.entries[k]);
        if (!req.more || req.count == 0) break;
        req.after_ifindex = req.entries[req.count - 1].ifindex;
    }
    return out;
}

long sys_value(const std::string& ifname, const std::string& attr) {
    std::ifstream in("/sys/class/net/" + ifname + "/" + attr);
    long v = -1;
    if (!(in >> v)) return -1;
    return v;
}

long stat_value(const std::string& ifname, const std::string& counter) {
    return sys_value(ifname, "statistics/" + counter);
}

// SIOCGIFFLAGS/SIOCSIFFLAGS: IFF_UP on or off.
bool set_up(const std::string& ifname, bool up) {
    UniqueFd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) < 0) return false;
    ifr.ifr_flags = static_cast<short>(up ? (ifr.ifr_flags | IFF_UP) : (ifr.ifr_flags & ~IFF_UP));
    return ::ioctl(s.get(), SIOCSIFFLAGS, &ifr) == 0;
}

bool wait_operstate_up(const std::string& ifname) {
    for (int i = 0; i < 50; ++i) {
        std::ifstream in("/sys/class/net/" + ifname + "/operstate");
        std::string state;
        if (in >> state && state == "up") return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

bool if_exists(const std::string& ifname) { return ::if_nametoindex(ifname.c_str()) != 0; }

}  // namespace probe
