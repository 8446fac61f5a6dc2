// udp_relay: a man in the middle for end-to-end tests. Both tunnel ends talk
// to the relay as if it were their peer; it forwards each datagram to the
// other side and, on request, drops, bit-flips, duplicates, reorders and
// replays datagrams, or floods a side with copies of the first datagrams it
// saw (the handshake) and with mutated copies of them. Counts what it did and
// prints the counts on SIGTERM/SIGINT (and on SIGUSR1 without stopping).
// Memory is bounded: a fixed history ring, a fixed hold queue, fixed records.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/endpoint.h"
#include "common/datapath/udp_socket.h"

namespace {

using tvpn::Endpoint;
using tvpn::UdpSocket;
using Bytes = std::vector<uint8_t>;

constexpr size_t kMaxDatagram = 65536;
constexpr size_t kMaxHistory = 1024;   // at most 64 MiB of history per direction
constexpr size_t kMaxReorderDepth = 64;
constexpr size_t kMaxRecord = 64;
constexpr uint64_t kMaxFloodRate = 200000;
constexpr uint64_t kHoldNs = 20'000'000;   // a held datagram is released after 20 ms at the latest
constexpr uint64_t kFloodTickNs = 10'000'000;

const char* const kUsage =
    "usage: udp_relay -a BIND PEER -b BIND PEER [options]\n"
    "  Datagrams from PEER of side a, received on BIND of side a, go out of side b's\n"
    "  BIND to side b's PEER, and back. Endpoints: IPv4:PORT or [IPv6]:PORT.\n"
    "  Datagrams from any other source are counted as foreign and dropped.\n"
    "options (P is a probability 0..1 per datagram; drop+flip+reorder <= 1):\n"
    "  --drop P          drop it\n"
    "  --flip P          forward it with one random bit flipped instead\n"
    "  --reorder P       hold it and release it after DEPTH later datagrams (or 20 ms)\n"
    "  --reorder-depth N datagrams a held one waits for (1..64, default 8)\n"
    "  --dup P           send an intact, forwarded datagram twice\n"
    "  --replay P        after a datagram, also send an older intact one again\n"
    "  --history N       intact datagrams kept per direction for --replay (1..1024, default 256)\n"
    "  --min-size N      apply the faults above only to datagrams of at least N bytes\n"
    "  --direction a|b|both  which direction gets the faults (a: a->b; default both)\n"
    "  --flood RATE      inject RATE datagrams/s into each direction: the first RECORD\n"
    "                    datagrams seen that way, alternately verbatim and with all\n"
    "                    bytes after the first 8 randomized (max 200000)\n"
    "  --record N        datagrams recorded per direction for --flood (1..64, default 4)\n"
    "  --flood-after S   start flooding S seconds after start (default 0), or on SIGUSR2\n"
    "  --seed N          random seed (default: from the clock)\n"
    "Prints 'udp_relay: ready' once bound; counts on SIGTERM/SIGINT (exit 0) and SIGUSR1.\n";

uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

struct Options {
    std::string bind[2], peer[2];
    double drop = 0, flip = 0, reorder = 0, dup = 0, replay = 0;
    size_t reorder_depth = 8, history = 256, min_size = 0, record = 4;
    bool faults[2] = {true, true};
    uint64_t flood_rate = 0;
    double flood_after = 0;
    uint64_t seed = 0;
    bool has_seed = false;
};

struct Counts {
    uint64_t received = 0, forwarded = 0, dropped = 0, flipped = 0, duplicated = 0, reordered = 0, replayed = 0,
             flooded = 0, send_errors = 0;
};

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "udp_relay: %s\n", message.c_str());
    std::exit(2);
}

std::optional<double> parse_probability(std::string_view s) {
    std::string text(s);
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || errno != 0 || !(v >= 0.0 && v <= 1.0)) return std::nullopt;
    return v;
}

std::optional<uint64_t> parse_uint(std::string_view s, uint64_t lo, uint64_t hi) {
    std::string text(s);
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    uint64_t v = std::strtoull(text.c_str(), nullptr, 10);
    if (v < lo || v > hi) return std::nullopt;
    return v;
}

// "1.2.3.4:5" or "[::1]:5".
Endpoint parse_endpoint(const std::string& text) {
    std::string host, port;
    if (!text.empty() && text[0] == '[') {
        size_t close = text.find("]:");
        if (close == std::string::npos) die("bad endpoint '" + text + "' (expected [IPv6]:PORT)");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        size_t colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) die("bad endpoint '" + text + "' (expected IPv4:PORT)");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (auto p = tvpn::parse_port(port); !p) die("endpoint '" + text + "': " + p.error().message);
    auto ep = Endpoint::resolve(host, port);
    if (!ep) die("endpoint '" + text + "': " + ep.error().message);
    return *ep;
}

// Parses one option at argv[i]; returns false if it is unknown.
bool parse_option(Options& o, int argc, char** argv, int& i) {
    std::string opt = argv[i];
    auto next = [&]() -> std::string {
        if (i + 1 >= argc) die("missing value after " + opt);
        return argv[++i];
    };
    auto prob = [&](double& field) {
        std::string v = next();
        auto p = parse_probability(v);
        if (!p) die(opt + " needs a probability between 0 and 1, not '" + v + "'");
        field = *p;
    };
    auto uint = [&](auto& field, uint64_t lo, uint64_t hi) {
        std::string v = next();
        auto n = parse_uint(v, lo, hi);
        if (!n) die(opt + " needs a whole number in " + std::to_string(lo) + ".." + std::to_string(hi) + ", not '" + v + "'");
        field = static_cast<std::remove_reference_t<decltype(field)>>(*n);
    };
    if (opt == "-a" || opt == "-b") {
        int side = opt == "-a" ? 0 : 1;
        o.bind[side] = next();
        o.peer[side] = next();
    } else if (opt == "--drop") prob(o.drop);
    else if (opt == "--flip") prob(o.flip);
    else if (opt == "--reorder") prob(o.reorder);
    else if (opt == "--dup") prob(o.dup);
    else if (opt == "--replay") prob(o.replay);
    else if (opt == "--reorder-depth") uint(o.reorder_depth, 1, kMaxReorderDepth);
    else if (opt == "--history") uint(o.history, 1, kMaxHistory);
    else if (opt == "--min-size") uint(o.min_size, 0, kMaxDatagram);
    else if (opt == "--record") uint(o.record, 1, kMaxRecord);
    else if (opt == "--flood") uint(o.flood_rate, 0, kMaxFloodRate);
    else if (opt == "--seed") { uint(o.seed, 0, 999999999999); o.has_seed = true; }
    else if (opt == "--flood-after") { uint64_t s = 0; uint(s, 0, 3600); o.flood_after = static_cast<double>(s); }
    else if (opt == "--direction") {
        std::string v = next();
        if (v != "a" && v != "b" && v != "both") die("--direction needs a, b or both, not '" + v + "'");
        o.faults[0] = v != "b";
        o.faults[1] = v != "a";
    } else return false;
    return true;
}

Options parse_args(int argc, char** argv) {
    Options o;
    if (argc < 2) {
        std::fputs(kUsage, stdout);
        std::exit(2);
    }
    for (int i = 1; i < argc; ++i)
        if (!parse_option(o, argc, argv, i)) die(std::string("unknown option '") + argv[i] + "' (run without arguments for usage)");
    if (o.bind[0].empty() || o.bind[1].empty()) die("both -a BIND PEER and -b BIND PEER are needed");
    if (o.drop + o.flip + o.reorder > 1.0 + 1e-9) die("--drop + --flip + --reorder must not exceed 1");
    return o;
}

// One direction: datagrams from side `from`'s peer go to side `to`'s peer.
struct Direction {
    const char* name;
    int from, to;
    bool faults;
    Counts counts;
    std::vector<Bytes> history;  // ring of intact datagrams sent this way
    size_t history_next = 0, history_used = 0;
    struct Held {
        Bytes data;
        size_t wait;       // forwards still to pass before release
        uint64_t until_ns;
    };
    std::deque<Held> held;       // at most reorder_depth entries
    std::vector<Bytes> recorded; // the first `record` datagrams, for --flood
    uint64_t flood_sent = 0;
};

class Relay {
public:
    explicit Relay(const Options& o) : o_(o), rng_(o.has_seed ? o.seed : now_ns()) {
        Endpoint local[2];
        for (int s = 0; s < 2; ++s) {
            local[s] = parse_endpoint(o.bind[s]);
            peer_[s] = parse_endpoint(o.peer[s]);
            if (local[s].family() != peer_[s].family())
                die("side " + std::string(s ? "b" : "a") + ": BIND and PEER differ in family");
        }
        for (int s = 0; s < 2; ++s) {
            auto sock = UdpSocket::bind(local[s]);
            if (!sock) die(sock.error().message);
            sock_[s].emplace(std::move(*sock));
            sock_[s]->disable_offloads();  // one datagram per recvfrom(), never a GRO train
        }
        dirs_[0] = Direction{"a->b", 0, 1, o.faults[0], {}, {}, 0, 0, {}, {}, 0};
        dirs_[1] = Direction{"b->a", 1, 0, o.faults[1], {}, {}, 0, 0, {}, {}, 0};
        for (auto& d : dirs_) d.history.resize(o.history);
        buf_.resize(kMaxDatagram);
        start_ns_ = now_ns();
    }

    int run();

private:
    double roll() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
    void send(Direction& d, const uint8_t* p, size_t n);
    void on_readable(int side);
    void handle(Direction& d, const uint8_t* p, size_t n);
    void forward_intact(Direction& d, const uint8_t* p, size_t n);
    void release_held(Direction& d, bool all_due, uint64_t now);
    void flood(Direction& d, uint64_t now);
    void print_counts() const;
    int poll_timeout() const;

    Options o_;
    std::mt19937_64 rng_;
    Endpoint peer_[2];
    std::optional<UdpSocket> sock_[2];
    Direction dirs_[2];
    Bytes buf_;
    uint64_t start_ns_ = 0, last_flood_ns_ = 0, foreign_ = 0;
    bool flood_now_ = false;  // SIGUSR2 seen
};

void Relay::send(Direction& d, const uint8_t* p, size_t n) {
    if (sock_[d.to]->send_one({p, n}, peer_[d.to]) != 0) ++d.counts.send_errors;
}

void Relay::forward_intact(Direction& d, const uint8_t* p, size_t n) {
    send(d, p, n);
    ++d.counts.forwarded;
    for (auto& h : d.held)
        if (h.wait > 0) --h.wait;
    if (n < o_.min_size) return;  // replays stay among the datagrams the faults apply to
    Bytes& slot = d.history[d.history_next];
    slot.assign(p, p + n);
    d.history_next = (d.history_next + 1) % d.history.size();
    if (d.history_used < d.history.size()) ++d.history_used;
}

void Relay::handle(Direction& d, const uint8_t* p, size_t n) {
    ++d.counts.received;
    if (d.recorded.size() < o_.record) d.recorded.emplace_back(p, p + n);
    const bool eligible = d.faults && n >= o_.min_size;
    const double r = eligible ? roll() : 1.0;
    if (r < o_.drop) {
        ++d.counts.dropped;
    } else if (r < o_.drop + o_.flip && n == 0) {
        forward_intact(d, p, n);
    } else if (r < o_.drop + o_.flip) {
        Bytes copy(p, p + n);
        copy[pick(n)] ^= static_cast<uint8_t>(1u << pick(8));
        send(d, copy.data(), n);
        ++d.counts.flipped;
    } else if (r < o_.drop + o_.flip + o_.reorder) {
        if (d.held.size() >= o_.reorder_depth) release_held(d, false, 0);
        d.held.push_back({Bytes(p, p + n), o_.reorder_depth, now_ns() + kHoldNs});
        ++d.counts.reordered;
    } else {
        forward_intact(d, p, n);
        if (eligible && roll() < o_.dup) {
            send(d, p, n);
            ++d.counts.duplicated;
        }
    }
    if (eligible && d.history_used > 1 && roll() < o_.replay) {
        // Any intact one but the newest (which may still be in flight).
        size_t back = 1 + pick(d.history_used - 1);
        const Bytes& old = d.history[(d.history_next + d.history.size() - 1 - back) % d.history.size()];
        send(d, old.data(), old.size());
        ++d.counts.replayed;
    }
    release_held(d, true, now_ns());
}

// Releases held datagrams that are due (all_due), or just the oldest one.
void Relay::release_held(Direction& d, bool all_due, uint64_t now) {
    if (!all_due) {
        if (d.held.empty()) return;
        Bytes data = std::move(d.held.front().data);
        d.held.pop_front();
        forward_intact(d, data.data(), data.size());
        return;
    }
    while (!d.held.empty() && (d.held.front().wait == 0 || d.held.front().until_ns <= now)) {
        Bytes data = std::move(d.held.front().data);
        d.held.pop_front();
        forward_intact(d, data.data(), data.size());
    }
}

void Relay::flood(Direction& d, uint64_t now) {
    if (o_.flood_rate == 0 || d.recorded.empty()) return;
    if (!flood_now_ && now - start_ns_ < static_cast<uint64_t>(o_.flood_after * 1e9)) return;
    const uint64_t per_tick = std::max<uint64_t>(1, o_.flood_rate * kFloodTickNs / 1'000'000'000u);
    for (uint64_t i = 0; i < per_tick; ++i) {
        const Bytes& rec = d.recorded[d.flood_sent % d.recorded.size()];
        if ((d.flood_sent / d.recorded.size()) % 2 == 0) {
            send(d, rec.data(), rec.size());
        } else {
            Bytes copy = rec;
            for (size_t k = 8; k < copy.size(); ++k) copy[k] = static_cast<uint8_t>(rng_());
            send(d, copy.data(), copy.size());
        }
        ++d.flood_sent;
        ++d.counts.flooded;
    }
}

void Relay::on_readable(int side) {
    for (int k = 0; k < 64; ++k) {
        sockaddr_storage from{};
        socklen_t len = sizeof from;
        ssize_t n = ::recvfrom(sock_[side]->fd(), buf_.data(), buf_.size(), MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) return;
        if (!(Endpoint(reinterpret_cast<sockaddr*>(&from), len) == peer_[side])) {
            ++foreign_;
            continue;
        }
        handle(dirs_[side], buf_.data(), static_cast<size_t>(n));
    }
}

int Relay::poll_timeout() const {
    if (o_.flood_rate > 0) return static_cast<int>(kFloodTickNs / 1'000'000);
    for (const auto& d : dirs_)
        if (!d.held.empty()) return 5;
    return 200;
}

void Relay::print_counts() const {
    for (const auto& d : dirs_) {
        const Counts& c = d.counts;
        std::printf("udp_relay %s: received=%" PRIu64 " forwarded=%" PRIu64 " dropped=%" PRIu64 " flipped=%" PRIu64
                    " duplicated=%" PRIu64 " reordered=%" PRIu64 " replayed=%" PRIu64 " flooded=%" PRIu64
                    " send-errors=%" PRIu64 "\n",
                    d.name, c.received, c.forwarded, c.dropped, c.flipped, c.duplicated, c.reordered, c.replayed,
                    c.flooded, c.send_errors);
    }
    std::printf("udp_relay: foreign=%" PRIu64 "\n", foreign_);
    std::fflush(stdout);
}

int Relay::run() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) die(std::string("signalfd: ") + std::strerror(errno));
    std::printf("udp_relay: ready\n");
    std::fflush(stdout);
    for (;;) {
        pollfd fds[3] = {{sock_[0]->fd(), POLLIN, 0}, {sock_[1]->fd(), POLLIN, 0}, {sfd, POLLIN, 0}};
        if (::poll(fds, 3, poll_timeout()) < 0 && errno != EINTR) die(std::string("poll: ") + std::strerror(errno));
        signalfd_siginfo si{};
        while (::read(sfd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
            if (si.ssi_signo == SIGUSR2) {
                flood_now_ = true;
                continue;
            }
            print_counts();
            if (si.ssi_signo != SIGUSR1) return 0;
        }
        for (int s = 0; s < 2; ++s)
            if (fds[s].revents & POLLIN) on_readable(s);
        const uint64_t now = now_ns();
        for (auto& d : dirs_) release_held(d, true, now);
        if (o_.flood_rate > 0 && now - last_flood_ns_ >= kFloodTickNs) {
            last_flood_ns_ = now;
            for (auto& d : dirs_) flood(d, now);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse_args(argc, argv);
    Relay relay(o);
    return relay.run();
}
