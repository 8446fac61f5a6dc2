// An interface going away under an attached file, and the helpers the
// shell tests use to hold an interface or keep frames flowing.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <thread>

#include "tests/vm/probe/probe.h"

namespace probe {
namespace {

const uint8_t kJunkFrame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5};


// A blocked reader and a busy writer both see ENODEV when the interface is removed.
void removed_under_io(Report& r, int ctl, const std::string& ifname) {
    UniqueFd reader_fd = open_ctl(), writer_fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(reader_fd.get(), ifname), 0, "attach " + ifname);
    r.expect_code(remove_if(ctl, ifname, 0), EBUSY, "remove without FORCE while attached: EBUSY");
    r.check(if_exists(ifname), ifname + " still exists");
    auto reader = std::async(std::launch::async, [fd = reader_fd.get()] {
        std::vector<uint8_t> buf(kBig);
        ssize_t n = ::read(fd, buf.data(), buf.size());
        return n < 0 ? errno : 0;
    });
    std::atomic<bool> stop{false};
    std::thread writer([&stop, fd = writer_fd.get()] {
        // Not attached (the interface has one file already): EBADFD each time.
        while (!stop) (void)!::write(fd, kJunkFrame, sizeof kJunkFrame);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    r.expect_code(remove_if(ctl, ifname, VNDD_REMOVE_FORCE), 0, "remove with FORCE while attached");
    bool woke = reader.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
    r.check(woke && reader.get() == ENODEV, "the blocked reader wakes with ENODEV");
    stop = true;
    writer.join();
    pollfd p{reader_fd.get(), POLLIN | POLLOUT, 0};
    r.check(::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP), "poll reports POLLHUP|POLLERR");
    char buf[64];
    expect_rc(r, ::write(reader_fd.get(), kJunkFrame, sizeof kJunkFrame), ENODEV, "write after removal: ENODEV");
    expect_rc(r, ::read(reader_fd.get(), buf, sizeof buf), ENODEV, "read after removal: ENODEV");
    r.expect_code(attach_if(reader_fd.get(), ifname), EISCONN, "an orphaned file does not attach again");
    r.check(!if_exists(ifname), ifname + " is gone");
}

// Frames flowing both ways through the attached file while it is removed.
void removed_under_traffic(Report& r, int ctl, const std::string& ifname) {
    r.expect_code(add_if(ctl, ifname), 0, "add " + ifname + " again");
    r.check(set_up(ifname, true), ifname + " up (a write to a down interface fails)");
    UniqueFd fd = open_ctl(O_NONBLOCK);
    r.expect_code(attach_if(fd.get(), ifname), 0, "attach");
    std::atomic<int> last_err{0};
    std::thread pump([&last_err, f = fd.get()] {
        std::vector<uint8_t> buf(kBig);
        for (int i = 0; i < 10000000; ++i) {
            // Removal closes the interface (ENETDOWN) before it detaches the file (ENODEV).
            if (::write(f, kJunkFrame, sizeof kJunkFrame) < 0 && errno != EAGAIN && errno != ENETDOWN) {
                last_err = errno;
                return;
            }
            (void)!::read(f, buf.data(), buf.size());
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    r.expect_code(remove_if(ctl, ifname), 0, "remove while frames flow");
    pump.join();
    r.check(last_err == ENODEV, "the writer stops with ENODEV", strerror(last_err));
}

// Attaches and prints "attached" for the waiting script; invalid on failure.
UniqueFd attach_announced(const std::string& ifname, int flags) {
    UniqueFd fd = open_ctl(flags);
    if (int err = attach_if(fd.get(), ifname)) {
        std::fprintf(stderr, "attach %s: %s\n", ifname.c_str(), strerror(err));
        return UniqueFd();
    }
    std::printf("attached\n");
    std::fflush(stdout);
    return fd;
}

}  // namespace

void case_remove_attached(Report& r, const std::string& ifname) {
    UniqueFd ctl = open_ctl();
    removed_under_io(r, ctl.get(), ifname);
    removed_under_traffic(r, ctl.get(), ifname);
}

// Attaches and reads until the interface goes away (exit 0) or a signal.
int run_hold(const std::string& ifname) {
    UniqueFd fd = attach_announced(ifname, 0);
    if (!fd.valid()) return 1;
    std::vector<uint8_t> buf(kBig);
    for (;;) {
        if (::read(fd.get(), buf.data(), buf.size()) < 0 && errno != EINTR && errno != EMSGSIZE)
            return errno == ENODEV ? 0 : 1;
    }
}

// Attaches and moves frames both ways as fast as it can, until killed.
int run_pump(const std::string& ifname) {
    UniqueFd fd = attach_announced(ifname, O_NONBLOCK);
    if (!fd.valid()) return 1;
    std::vector<uint8_t> buf(kBig);
    for (;;) {
        if (::write(fd.get(), kJunkFrame, sizeof kJunkFrame) < 0 && errno == ENODEV) return 0;
        (void)!::read(fd.get(), buf.data(), buf.size());
    }
}

}  // namespace probe
