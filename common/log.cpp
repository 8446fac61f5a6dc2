#include "common/log.h"

#include <syslog.h>

#include <cstdio>
#include <cstring>

#include "common/result.h"

namespace tvpn {

std::string errno_message(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

Logger::Logger(std::string ident, Sink sink, LogLevel threshold)
    : ident_(std::move(ident)), sink_(Sink::Stderr), threshold_(threshold) {
    use_sink(sink);
}

Logger::~Logger() {
    if (syslog_open_) closelog();
}

void Logger::use_sink(Sink sink) {
    if (sink == Sink::Syslog && !syslog_open_) {
        openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
        syslog_open_ = true;
    }
    sink_ = sink;
}

static int syslog_priority(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return LOG_DEBUG;
        case LogLevel::Info: return LOG_INFO;
        case LogLevel::Warning: return LOG_WARNING;
        case LogLevel::Error: return LOG_ERR;
    }
    return LOG_INFO;
}

static const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

std::string Logger::format(LogLevel level, const std::string& message) const {
    // sd-daemon(3): "<N>" with N the syslog priority.
    const std::string prefix = "<" + std::to_string(syslog_priority(level)) + ">";
    if (sink_ == Sink::Journal) return prefix + message;
    const std::string line = ident_ + ": " + level_name(level) + ": " + message;
    return sink_ == Sink::StderrPrefixed ? prefix + line : line;
}

void Logger::log(LogLevel level, const std::string& message) {
    if (!enabled(level)) return;
    if (sink_ == Sink::Syslog) {
        syslog(syslog_priority(level), "%s", message.c_str());
    } else {
        std::fprintf(stderr, "%s\n", format(level, message).c_str());
    }
}

bool RateLimit::allow(uint64_t now_ns) {
    if (!started_) {
        started_ = true;
        last_ns_ = now_ns;
    } else if (now_ns > last_ns_) {
        uint64_t refill = (now_ns - last_ns_) / interval_ns_;
        if (refill > 0) {
            uint64_t tokens = tokens_ + refill;
            tokens_ = tokens >= burst_ ? burst_ : static_cast<unsigned>(tokens);
            last_ns_ = tokens_ == burst_ ? now_ns : last_ns_ + refill * interval_ns_;
        }
    }
    if (tokens_ == 0) return false;
    --tokens_;
    return true;
}

}  // namespace tvpn
