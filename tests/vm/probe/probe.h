// vndd_probe: exercises /dev/vnddmgr at the ioctl level inside the test VM,
// including the malformed requests the tools would never send. Each check
// prints "ok - ..." or "not ok - ..."; the exit status counts failures.
#pragma once

#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "driver/vnddmgr_abi.h"

namespace probe {

using tvpn::UniqueFd;

// Counts failed checks; one per run, passed to every case.
struct Report {
    int failures = 0;
    void check(bool ok, const std::string& what, const std::string& detail = "");
    // Expects `rc` to be -1 with errno `want` (or 0 when want is 0).
    void expect_errno(int rc, int err, int want, const std::string& what);
    // Expects the error code `got` (0: success) to be `want`.
    void expect_code(int got, int want, const std::string& what) { expect_errno(got ? -1 : 0, got, want, what); }
};

UniqueFd open_ctl(int extra_flags = 0);
// ioctl returning errno (0 on success).
template <typename T>
int ioc(int fd, unsigned long cmd, T arg) {
    return ::ioctl(fd, cmd, arg) < 0 ? errno : 0;
}
vndd_add make_add(const std::string& name, uint32_t mtu = 1500);
vndd_ref make_ref(const std::string& name, uint32_t flags = 0);
int add_if(int fd, const std::string& name, uint32_t flags = 0);
int remove_if(int fd, const std::string& name, uint32_t flags = VNDD_REMOVE_FORCE);
int attach_if(int fd, const std::string& name, uint32_t flags = 0);
std::vector<vndd_info> list_all(int fd);

// /sys/class/net/IF/... as a number (-1 when unreadable).
long sys_value(const std::string& ifname, const std::string& attr);
long stat_value(const std::string& ifname, const std::string& counter);
bool if_exists(const std::string& ifname);
bool set_up(const std::string& ifname, bool up);
// True once the kernel reports IF's operstate "up" (bounded: 5 s). Until
// then, after the carrier came on, the stack may still discard what it sends.
bool wait_operstate_up(const std::string& ifname);

// Frame helpers (io_cases.cpp) for an interface prepared as io_test.sh does:
// kLocalIp/24, NOARP, IPv6 off; the peer kPeerIp does not exist.
inline constexpr const char* kLocalIp = "192.168.77.1";
inline constexpr const char* kPeerIp = "192.168.77.2";
inline constexpr size_t kBig = 65536;
// Expects rc < 0 with errno `want`, or rc >= 0 when want is 0.
void expect_rc(Report& r, ssize_t rc, int want, const std::string& what);
short poll_events(int fd, int timeout_ms);
bool wait_readable(int fd);
sockaddr_in ipv4_addr(const char* ip, uint16_t port);
// Sends UDP datagrams to kPeerIp port 9: each leaves through the interface.
void send_udp(const std::string& payload, int count = 1);
// The UDP payload of an Ethernet/IPv4/UDP frame to port 9, or "".
std::string udp_payload(const uint8_t* f, size_t n);
uint16_t ip_checksum(const uint8_t* p, size_t n);
// An Ethernet/IPv4/UDP frame from kPeerIp to us, as the daemon would write it.
std::vector<uint8_t> frame_to_us(const uint8_t mac[6], uint16_t port, const std::string& payload);
bool read_mac(const std::string& ifname, uint8_t mac[6]);
bool set_txqueuelen(const std::string& ifname, int len);

// The cases; each returns nothing, records into the report.
void case_abi(Report& r);
void case_badargs(Report& r);
void case_io(Report& r, const std::string& ifname);
void case_detached_drop(Report& r, const std::string& ifname);
void case_offload(Report& r, const std::string& ifname);
void case_batch(Report& r, const std::string& ifname);
void case_remove_attached(Report& r, const std::string& ifname);
void case_orphan_purge(Report& r);
void case_rxpath(Report& r, const std::string& ifname);
void case_race(Report& r);
void case_privs(Report& r);
void case_unprivileged(Report& r);
int run_hold(const std::string& ifname);
int run_pump(const std::string& ifname);
int run_writebench(const std::string& ifname);

}  // namespace probe
