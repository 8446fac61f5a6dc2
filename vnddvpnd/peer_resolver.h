// Re-resolves the host names of -pwd peers (DynDNS hosts, a peer that moved):
// every 5 minutes, and every 30 s while a peer is not responding. A new
// address becomes the peer's candidate: its handshakes go there too, and its
// endpoint moves only once a datagram from there authenticates (the roaming
// rule, common/datapath/peer.h), so a forged DNS answer moves nothing.
// Lookups run in the background (getaddrinfo_a): the event loop never waits
// for DNS. Clear and -cipher des peers cannot authenticate a new address and
// keep the one they started with.
#pragma once

#include <netdb.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/datapath/datapath.h"
#include "common/log.h"

namespace tvpn {

// One background lookup of host:port (family fixed); cancelled when destroyed.
class HostLookup {
public:
    HostLookup(const std::string& host, const std::string& port, int family);
    ~HostLookup();
    HostLookup(const HostLookup&) = delete;
    HostLookup& operator=(const HostLookup&) = delete;
    bool started() const { return started_; }
    bool done() const;
    // The first address, once done; nullopt when the lookup failed (error() says why).
    std::optional<Endpoint> result() const;
    std::string error() const;

private:
    std::string host_, port_;
    addrinfo hints_{};
    gaicb request_{};
    bool started_ = false;
};

// When to look a peer's name up again, and what a result means.
struct ResolveTimes {
    static constexpr uint64_t kEvery = 300 * 1000000000ull;         // a responding peer
    static constexpr uint64_t kWhileLost = 30 * 1000000000ull;      // a peer that stopped answering
};
enum class Resolved { Same, NewCandidate, Failed };
// What a lookup's result means for a peer now at `endpoint`.
Resolved judge(const Endpoint& endpoint, const std::optional<Endpoint>& result);

class PeerResolver {
public:
    PeerResolver(Datapath& datapath, Logger& log);
    // Starts and collects lookups; call from the timer tick.
    void tick(uint64_t now_ns);
    size_t watched() const { return entries_.size(); }
    // The datapath's peers were added or removed (a reload): watch them
    // afresh (lookups under way are given up; the peers were just resolved).
    void peers_changed();

private:
    struct Entry {
        size_t peer;
        uint64_t last_ns = 0;
        std::unique_ptr<HostLookup> lookup;
    };
    void start(Entry& e, uint64_t now_ns);
    void finish(Entry& e);
    void watch_peers();

    Datapath& datapath_;
    Logger& log_;
    std::vector<Entry> entries_;
};

}  // namespace tvpn
