// Logging to stderr, the journal or syslog. One Logger is created in main()
// and passed down; the packet path only logs through a RateLimit so a flood
// cannot fill the log.
#pragma once

#include <cstdint>
#include <string>

namespace tvpn {

enum class LogLevel { Debug, Info, Warning, Error };

class Logger {
public:
    // Stderr: "IDENT: LEVEL: message" lines (a terminal).
    // StderrPrefixed: the same after an sd-daemon priority prefix ("<4>"),
    //   for a supervisor that reads them (systemd without JOURNAL_STREAM).
    // Journal: "<4>message": stderr is the journal, which adds the rest.
    enum class Sink { Stderr, StderrPrefixed, Journal, Syslog, Silent };

    Logger(std::string ident, Sink sink, LogLevel threshold = LogLevel::Info);
    ~Logger();
    Logger(const Logger&) = delete;
    Logger& operator=(const Logger&) = delete;

    // Switches to syslog (after daemonizing) or back.
    void use_sink(Sink sink);
    void set_threshold(LogLevel level) { threshold_ = level; }
    bool enabled(LogLevel level) const { return level >= threshold_ && sink_ != Sink::Silent; }

    void log(LogLevel level, const std::string& message);
    // The line log() writes to stderr-like sinks (without the newline).
    std::string format(LogLevel level, const std::string& message) const;
    void debug(const std::string& m) { log(LogLevel::Debug, m); }
    void info(const std::string& m) { log(LogLevel::Info, m); }
    void warning(const std::string& m) { log(LogLevel::Warning, m); }
    void error(const std::string& m) { log(LogLevel::Error, m); }

private:
    std::string ident_;
    Sink sink_;
    LogLevel threshold_;
    bool syslog_open_ = false;
};

// Allows at most `burst` events, refilled at one per `interval_ns`.
class RateLimit {
public:
    RateLimit(uint64_t interval_ns, unsigned burst) : interval_ns_(interval_ns), burst_(burst), tokens_(burst) {}
    bool allow(uint64_t now_ns);

private:
    uint64_t interval_ns_;
    unsigned burst_;
    unsigned tokens_;
    uint64_t last_ns_ = 0;
    bool started_ = false;
};

}  // namespace tvpn
