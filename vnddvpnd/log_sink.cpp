#include "vnddvpnd/log_sink.h"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace tvpn {

Logger::Sink foreground_sink(const LogFacts& facts) {
    // The parent relays start-up errors to the terminal as they are.
    if (facts.daemonize) return Logger::Sink::Stderr;
    if (facts.stderr_is_journal) return Logger::Sink::Journal;
    return facts.stderr_is_tty ? Logger::Sink::Stderr : Logger::Sink::StderrPrefixed;
}

bool journal_stream_matches(const char* value, dev_t device, ino_t inode) {
    if (!value) return false;
    const std::string_view text(value);
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
    unsigned long long dev = 0, ino = 0;
    const char* end = text.data() + text.size();
    auto d = std::from_chars(text.data(), text.data() + colon, dev);
    auto i = std::from_chars(text.data() + colon + 1, end, ino);
    return d.ec == std::errc() && d.ptr == text.data() + colon && i.ec == std::errc() && i.ptr == end &&
           dev == static_cast<unsigned long long>(device) && ino == static_cast<unsigned long long>(inode);
}

LogFacts log_facts(bool daemonize) {
    LogFacts f;
    f.daemonize = daemonize;
    f.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
    struct stat st{};
    if (::fstat(STDERR_FILENO, &st) == 0)
        f.stderr_is_journal = journal_stream_matches(std::getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino);
    return f;
}

bool syslog_available() {
    struct stat st{};
    return ::stat("/dev/log", &st) == 0 && S_ISSOCK(st.st_mode);
}

}  // namespace tvpn
