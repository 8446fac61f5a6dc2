#include "vnddvpnd/service_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>

namespace tvpn {

ServiceNotifier::ServiceNotifier(Logger& log) : log_(log) {
    active_ = std::getenv("NOTIFY_SOCKET") != nullptr;
    uint64_t usec = 0;
    // Only when WATCHDOG_PID, if set, is ours (sd_watchdog_enabled checks it).
    if (active_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdog_every_ns_ = usec * 1000 / 2;
}

void ServiceNotifier::send(const std::string& message) {
    if (!active_) return;
    const int r = sd_notify(0, message.c_str());
    if (r < 0 && !failed_logged_) {  // once: the loop would repeat it every tick
        failed_logged_ = true;
        log_.warning(std::string("cannot notify systemd (sd_notify): ") + std::strerror(-r));
    }
}

void ServiceNotifier::send_status(const ServiceSummary& s, uint64_t now_ns) {
    last_ = s;
    last_status_ns_ = now_ns;
    send("STATUS=" + summary_line(s));
}

void ServiceNotifier::ready(const ServiceSummary& s, uint64_t now_ns) {
    if (!active_) return;
    last_ = s;
    last_status_ns_ = now_ns;
    send("READY=1\nSTATUS=" + summary_line(s));
}

void ServiceNotifier::reloading(uint64_t now_ns) {
    // MONOTONIC_USEC: systemd (253 and later) matches it with the reload it asked for.
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(now_ns / 1000));
}

void ServiceNotifier::stopping() { send("STOPPING=1"); }

void ServiceNotifier::watchdog(uint64_t now_ns) {
    if (!active_ || !watchdog_every_ns_ || now_ns - last_watchdog_ns_ < watchdog_every_ns_) return;
    last_watchdog_ns_ = now_ns;
    send("WATCHDOG=1");
}

void ServiceNotifier::tick(const ServiceSummary& s, uint64_t now_ns) {
    if (!active_) return;
    watchdog(now_ns);
    if (!s.same_state(last_) || now_ns - last_status_ns_ >= kStatusEveryNs) send_status(s, now_ns);
}

}  // namespace tvpn
