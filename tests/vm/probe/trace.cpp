#include "tests/vm/probe/trace.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

namespace probe {
namespace {

const std::string kRoot = "/sys/kernel/tracing";

// One command to a tracefs file; errno and the tracer's error log on failure.
bool write_file(const std::string& path, const std::string& text, std::string* why = nullptr) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    std::string line = text + "\n";
    bool ok = fd >= 0 && ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    int err = errno;
    if (fd >= 0) ::close(fd);
    if (!ok && why) {
        std::ifstream log(kRoot + "/error_log");
        std::string last, l;
        while (std::getline(log, l)) last = l;
        *why = std::string(std::strerror(err)) + (last.empty() ? "" : "; " + last);
    }
    return ok;
}

bool mounted() {
    struct stat st{};
    return ::stat((kRoot + "/trace").c_str(), &st) == 0;
}

// "key=value key=value ...": the fields of an event's text.
std::map<std::string, std::string> parse_fields(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        size_t eq = word.find('=');
        if (eq != std::string::npos && eq > 0) out[word.substr(0, eq)] = word.substr(eq + 1);
    }
    return out;
}

}  // namespace

long TraceEvent::number(const std::string& key) const {
    auto it = fields.find(key);
    if (it == fields.end()) return -1;
    char* end = nullptr;
    long v = std::strtol(it->second.c_str(), &end, 0);
    return end && *end == '\0' ? v : -1;
}

Trace::Trace(std::vector<std::string> events, std::vector<std::pair<std::string, std::string>> kprobes) {
    if (!mounted() && ::mount("tracefs", kRoot.c_str(), "tracefs", 0, nullptr) != 0) {
        ok_ = false, error_ = "cannot mount tracefs";
        return;
    }
    for (const auto& [name, symbol] : kprobes) {
        std::string why;
        if (!write_file(kRoot + "/kprobe_events", "p:tvpn/" + name + " " + symbol, &why)) {
            ok_ = false, error_ = "kprobe on " + symbol + " refused: " + why;
            return;
        }
        kprobes_.push_back(name);
        events.push_back("tvpn/" + name);
    }
    for (const auto& e : events) {
        std::string path = kRoot + "/events/" + e + "/enable";
        std::string why;
        if (!write_file(path, "1", &why)) {
            ok_ = false, error_ = "cannot enable " + e + ": " + why;
            return;
        }
        paths_.push_back(path);
    }
    clear();
}

Trace::~Trace() {
    for (const auto& p : paths_) write_file(p, "0");
    for (const auto& k : kprobes_) write_file(kRoot + "/kprobe_events", "-:tvpn/" + k);
}

// Opening "trace" for writing with O_TRUNC empties the buffer.
void Trace::clear() {
    int fd = ::open((kRoot + "/trace").c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd >= 0) ::close(fd);
}

// Lines as the default output format prints them:
//   "      vndd_probe-123     [001] b..1.    25.123456: netif_receive_skb_entry: dev=vp0 len=..."
std::vector<TraceEvent> Trace::events() const {
    static const std::regex line(R"(^\s*(.+)-(\d+)\s+\[(\d+)\]\s+(\S+)\s+[\d.]+:\s+([^:\s]+):\s*(.*)$)");
    std::vector<TraceEvent> out;
    std::ifstream in(kRoot + "/trace");
    std::string text;
    std::smatch m;
    while (std::getline(in, text)) {
        if (text.empty() || text[0] == '#' || !std::regex_match(text, m, line)) continue;
        out.push_back(TraceEvent{std::stol(m[2]), m[4], m[5], parse_fields(m[6])});
    }
    return out;
}

}  // namespace probe
