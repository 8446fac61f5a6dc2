// vnddvpnd as a systemd Type=notify service (sd_notify(3), libsystemd):
// READY=1 once every tunnel is set up, STATUS= with the one-line summary
// (vnddvpnd/service_status.h) when the peers' states change and every few
// seconds for the traffic, WATCHDOG=1 from the event loop at half of
// WatchdogSec, RELOADING=1 and READY=1 around a reload, STOPPING=1.
// Without NOTIFY_SOCKET (not started by systemd) it does nothing.
#pragma once

#include <cstdint>
#include <string>

#include "common/log.h"
#include "vnddvpnd/service_status.h"

namespace tvpn {

class ServiceNotifier {
public:
    static constexpr uint64_t kStatusEveryNs = 5'000'000'000;  // traffic refresh

    explicit ServiceNotifier(Logger& log);

    bool active() const { return active_; }
    uint64_t watchdog_every_ns() const { return watchdog_every_ns_; }  // 0: no watchdog

    void ready(const ServiceSummary& s, uint64_t now_ns);
    void reloading(uint64_t now_ns);
    void stopping();
    // Every loop tick: the watchdog's keep-alive when due, STATUS= when the
    // summary's state changed or kStatusEveryNs passed.
    void tick(const ServiceSummary& s, uint64_t now_ns);
    // The watchdog's keep-alive when due: also from work that holds the loop
    // up (a reload deriving keys, ~0.1 s per new or changed peer).
    void watchdog(uint64_t now_ns);

private:
    void send(const std::string& message);
    void send_status(const ServiceSummary& s, uint64_t now_ns);

    Logger& log_;
    bool active_ = false;
    uint64_t watchdog_every_ns_ = 0;
    uint64_t last_watchdog_ns_ = 0;
    uint64_t last_status_ns_ = 0;
    ServiceSummary last_{};
    bool failed_logged_ = false;
};

}  // namespace tvpn
