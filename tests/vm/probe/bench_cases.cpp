// vndd_probe writebench IF: frames per second into the stack through one
// write() per frame against batched writes of VNDD_BATCH_MAX, on an
// interface nobody else uses. The frames go to a foreign MAC, so the stack
// drops them at once: what is measured is the system call and copy path.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "tests/vm/probe/offload_frames.h"

namespace probe {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `one` (which moves `per_call` frames) for about a second; frames/s.
template <typename F>
double rate(F one, size_t per_call) {
    size_t frames = 0;
    auto start = Clock::now(), end = start + std::chrono::seconds(1);
    auto now = start;
    while (now < end) {
        for (int i = 0; i < 64; ++i)
            if (one()) frames += per_call;
        now = Clock::now();
    }
    return static_cast<double>(frames) / std::chrono::duration<double>(now - start).count();
}

}  // namespace

int run_writebench(const std::string& ifname) {
    UniqueFd fd = open_ctl(O_NONBLOCK);
    if (attach_if(fd.get(), ifname, VNDD_ATTACH_BATCH_WRITE) != 0) {
        std::perror("attach");
        return 1;
    }
    const uint8_t foreign[6] = {0x02, 0, 0, 0, 0x99, 0x99};
    auto frame = frame_to_us(foreign, 9, std::string(18, 'x'));  // 60 bytes
    BatchBuf one, many;
    one.add(frame);
    for (int i = 0; i < VNDD_BATCH_MAX; ++i) many.add(frame);
    auto write_all = [&](const BatchBuf& b) {
        return ::write(fd.get(), b.bytes.data(), b.bytes.size()) == static_cast<ssize_t>(b.bytes.size());
    };
    double single = rate([&] { return write_all(one); }, 1);
    double batched = rate([&] { return write_all(many); }, VNDD_BATCH_MAX);
    std::printf("writebench: one frame per write %.0f frames/s, %d per write %.0f frames/s, ratio %.2f\n", single,
                VNDD_BATCH_MAX, batched, single > 0 ? batched / single : 0.0);
    return single > 0 && batched > 0 ? 0 : 1;
}

}  // namespace probe
