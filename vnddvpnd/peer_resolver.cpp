#include "vnddvpnd/peer_resolver.h"

#include <cstring>

namespace tvpn {

HostLookup::HostLookup(const std::string& host, const std::string& port, int family) : host_(host), port_(port) {
    hints_.ai_family = family;
    hints_.ai_socktype = SOCK_DGRAM;
    hints_.ai_flags = AI_NUMERICSERV;
    request_.ar_name = host_.c_str();
    request_.ar_service = port_.c_str();
    request_.ar_request = &hints_;
    gaicb* list[] = {&request_};
    started_ = ::getaddrinfo_a(GAI_NOWAIT, list, 1, nullptr) == 0;
}

HostLookup::~HostLookup() {
    if (!started_) return;
    // A lookup still running must finish before its buffers go away.
    if (::gai_cancel(&request_) == EAI_NOTCANCELED) {
        const gaicb* list[] = {&request_};
        while (::gai_error(&request_) == EAI_INPROGRESS) ::gai_suspend(list, 1, nullptr);
    }
    if (request_.ar_result) ::freeaddrinfo(request_.ar_result);
}

bool HostLookup::done() const { return !started_ || ::gai_error(const_cast<gaicb*>(&request_)) != EAI_INPROGRESS; }

std::optional<Endpoint> HostLookup::result() const {
    if (!started_ || ::gai_error(const_cast<gaicb*>(&request_)) != 0 || !request_.ar_result) return std::nullopt;
    const addrinfo* r = request_.ar_result;
    return Endpoint(r->ai_addr, r->ai_addrlen);
}

std::string HostLookup::error() const {
    if (!started_) return "the lookup could not be started";
    return ::gai_strerror(::gai_error(const_cast<gaicb*>(&request_)));
}

Resolved judge(const Endpoint& endpoint, const std::optional<Endpoint>& result) {
    if (!result) return Resolved::Failed;
    return *result == endpoint ? Resolved::Same : Resolved::NewCandidate;
}

PeerResolver::PeerResolver(Datapath& datapath, Logger& log) : datapath_(datapath), log_(log) { watch_peers(); }

void PeerResolver::peers_changed() {
    entries_.clear();
    watch_peers();
}

void PeerResolver::watch_peers() {
    const auto& peers = datapath_.peers();
    for (size_t i = 0; i < peers.size(); ++i) {
        const Peer& p = *peers[i].peer;
        if (!p.config().remote_host.empty() && p.roams()) entries_.push_back(Entry{i, 0, nullptr});
    }
}

void PeerResolver::start(Entry& e, uint64_t now_ns) {
    const PeerConfig& c = datapath_.peers()[e.peer].peer->config();
    e.last_ns = now_ns;
    e.lookup = std::make_unique<HostLookup>(c.remote_host, c.remote_port, c.local.family());
    if (!e.lookup->started()) {
        log_.warning("tunnel " + c.ifname + " peer " + c.name + ": cannot look up " + c.remote_host + " again");
        e.lookup.reset();
    }
}

void PeerResolver::finish(Entry& e) {
    Peer& p = datapath_.peer(e.peer);
    const PeerConfig& c = p.config();
    const auto result = e.lookup->result();
    const std::string who = "tunnel " + c.ifname + " peer " + c.name + ": " + c.remote_host;
    switch (judge(p.endpoint(), result)) {
        case Resolved::Same:
            p.clear_candidate();
            break;
        case Resolved::Failed:
            log_.debug(who + " did not resolve: " + e.lookup->error());
            break;
        case Resolved::NewCandidate:
            if (!p.candidate() || !(*p.candidate() == *result))
                log_.info(who + " now resolves to " + result->to_string() + " (was " + p.endpoint().to_string() +
                          "): handshaking there too; the tunnel moves once it authenticates");
            p.set_candidate(*result);
            break;
    }
    e.lookup.reset();
}

void PeerResolver::tick(uint64_t now_ns) {
    for (Entry& e : entries_) {
        if (e.lookup) {
            if (e.lookup->done()) finish(e);
            continue;
        }
        const Peer& p = *datapath_.peers()[e.peer].peer;
        const uint64_t every = p.codec().peer_responding() ? ResolveTimes::kEvery : ResolveTimes::kWhileLost;
        if (e.last_ns == 0) e.last_ns = now_ns;  // resolved at start-up
        if (now_ns - e.last_ns >= every) start(e, now_ns);
    }
}

}  // namespace tvpn
