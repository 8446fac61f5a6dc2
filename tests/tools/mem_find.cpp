// mem_find: counts where byte strings occur in another process's memory, as
// an attacker with root (or a core dump) would look for a password: every
// readable mapping in /proc/PID/maps, read through /proc/PID/mem. Mappings
// larger than 1 TiB are skipped and named: only a sanitizer's shadow or
// reserve is that large, and it holds shadow bytes, not the program's data.
// usage: mem_find PID STRING...
// Prints "found N STRING" per string (with the mappings it was found in),
// then what was scanned; exits 0, or 2 when the memory cannot be read at all.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kChunk = 1 << 20;
constexpr uint64_t kShadowSize = uint64_t{1} << 40;

struct Mapping {
    uint64_t begin = 0, end = 0;
    std::string perms, name;
};

std::vector<Mapping> read_maps(const std::string& pid) {
    std::vector<Mapping> maps;
    std::ifstream in("/proc/" + pid + "/maps");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string range, offset, dev, inode;
        Mapping m;
        ls >> range >> m.perms >> offset >> dev >> inode;
        std::getline(ls >> std::ws, m.name);
        const auto dash = range.find('-');
        if (dash == std::string::npos) continue;
        m.begin = std::strtoull(range.substr(0, dash).c_str(), nullptr, 16);
        m.end = std::strtoull(range.substr(dash + 1).c_str(), nullptr, 16);
        if (m.end > m.begin) maps.push_back(m);
    }
    return maps;
}

struct Scan {
    std::vector<std::string> needles;
    std::vector<uint64_t> found;
    std::vector<std::map<std::string, uint64_t>> where;
    uint64_t bytes = 0, unreadable = 0, mappings = 0;
    std::vector<std::string> skipped;
    bool heap = false, stack = false;
};

// Needles by their first two bytes, so that one pass over memory finds all.
struct Index {
    std::vector<std::vector<size_t>> by_prefix = std::vector<std::vector<size_t>>(65536);
    size_t min_len = SIZE_MAX;
};

Index make_index(const std::vector<std::string>& needles) {
    Index ix;
    for (size_t n = 0; n < needles.size(); ++n) {
        const auto& s = needles[n];
        const unsigned key = static_cast<uint8_t>(s[0]) | static_cast<unsigned>(static_cast<uint8_t>(s[1])) << 8;
        ix.by_prefix[key].push_back(n);
        ix.min_len = std::min(ix.min_len, s.size());
    }
    return ix;
}

// Counts the needles in `buf`, whose first `tail` bytes were already
// searched: a match is new when it reaches past them.
void count(Scan& s, const Index& ix, const std::vector<char>& buf, size_t tail, const std::string& label) {
    if (buf.size() < ix.min_len) return;
    for (size_t at = 0; at + ix.min_len <= buf.size(); ++at) {
        const unsigned key = static_cast<uint8_t>(buf[at]) | static_cast<unsigned>(static_cast<uint8_t>(buf[at + 1])) << 8;
        for (size_t n : ix.by_prefix[key]) {
            const std::string& needle = s.needles[n];
            if (at + needle.size() > buf.size() || at + needle.size() <= tail) continue;
            if (std::equal(needle.begin(), needle.end(), buf.begin() + static_cast<long>(at))) {
                ++s.found[n];
                ++s.where[n][label];
            }
        }
    }
}

void scan_mapping(Scan& s, const Index& ix, int mem, const Mapping& m, size_t overlap) {
    const std::string label = m.name.empty() ? "[anon]" : m.name;
    std::vector<char> buf;
    for (uint64_t at = m.begin; at < m.end; at += kChunk) {
        const uint64_t len = std::min(kChunk, m.end - at);
        const size_t tail = std::min(buf.size(), overlap);
        std::vector<char> next(buf.end() - static_cast<long>(tail), buf.end());
        next.resize(tail + len);
        const ssize_t got = ::pread(mem, next.data() + tail, len, static_cast<off_t>(at));
        if (got != static_cast<ssize_t>(len)) {
            s.unreadable += len;
            buf.clear();
            continue;
        }
        s.bytes += len;
        buf.swap(next);
        count(s, ix, buf, tail, label);
    }
    ++s.mappings;
    s.heap = s.heap || m.name == "[heap]";
    s.stack = s.stack || m.name == "[stack]";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: mem_find PID STRING...\n");
        return 2;
    }
    const std::string pid = argv[1];
    Scan s;
    size_t overlap = 0;
    for (int i = 2; i < argc; ++i) {
        s.needles.emplace_back(argv[i]);
        if (s.needles.back().size() < 2) {
            std::fprintf(stderr, "mem_find: strings must have 2 bytes or more\n");
            return 2;
        }
        overlap = std::max(overlap, s.needles.back().size() - 1);
    }
    s.found.assign(s.needles.size(), 0);
    s.where.resize(s.needles.size());
    const Index ix = make_index(s.needles);
    const auto maps = read_maps(pid);
    const int mem = ::open(("/proc/" + pid + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (maps.empty() || mem < 0) {
        std::fprintf(stderr, "mem_find: cannot read the memory of process %s\n", pid.c_str());
        return 2;
    }
    for (const auto& m : maps) {
        if (m.perms.empty() || m.perms[0] != 'r') continue;
        if (m.end - m.begin >= kShadowSize) {
            s.skipped.push_back(m.name.empty() ? "[anon]" : m.name);
            continue;
        }
        scan_mapping(s, ix, mem, m, overlap);
    }
    ::close(mem);
    for (size_t n = 0; n < s.needles.size(); ++n) {
        std::printf("found %" PRIu64 " %s", s.found[n], s.needles[n].c_str());
        for (const auto& [label, c] : s.where[n]) std::printf(" (%" PRIu64 " in %s)", c, label.c_str());
        std::printf("\n");
    }
    std::printf("scanned %" PRIu64 " bytes in %" PRIu64 " mappings (heap %s, stack %s), %" PRIu64
                " bytes unreadable, %zu mappings of 1 TiB or more skipped\n",
                s.bytes, s.mappings, s.heap ? "yes" : "no", s.stack ? "yes" : "no", s.unreadable, s.skipped.size());
    return s.bytes ? 0 : 2;
}
