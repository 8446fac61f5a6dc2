#include "vnddconfig/rtnetlink.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tvpn {
namespace {

// How long the kernel may take to answer one request (it answers at once;
// the bound only keeps a broken socket from hanging vnddconfig).
constexpr int kAnswerSeconds = 5;

// One request: a netlink header, the family's header, then attributes. The
// largest (a bridge: a name and a nested kind) needs under 100 bytes.
class Message {
public:
    Message(uint16_t type, uint16_t flags) {
        auto* h = header();
        h->nlmsg_len = NLMSG_HDRLEN;
        h->nlmsg_type = type;
        h->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
    }
    template <typename T>
    void family_header(const T& v) { append(&v, sizeof v); }
    void attr(uint16_t type, const void* data, size_t len) {
        const rtattr a{static_cast<unsigned short>(RTA_LENGTH(len)), type};
        append(&a, sizeof a);
        size_t before = header()->nlmsg_len;
        append(data, len);
        header()->nlmsg_len = static_cast<uint32_t>(before + RTA_ALIGN(len));
    }
    void attr_string(uint16_t type, const std::string& s) { attr(type, s.c_str(), s.size() + 1); }
    // A nested attribute: begin, its attributes, end.
    size_t nest_begin(uint16_t type) {
        const size_t at = header()->nlmsg_len;
        attr(type, nullptr, 0);
        return at;
    }
    void nest_end(size_t at) {
        rtattr a{};
        std::memcpy(&a, buf_.data() + at, sizeof a);
        a.rta_len = static_cast<unsigned short>(header()->nlmsg_len - at);
        std::memcpy(buf_.data() + at, &a, sizeof a);
    }
    // Null when the request fits, else it was cut and must not be sent.
    std::span<uint8_t> bytes() { return overflow_ ? std::span<uint8_t>{} : std::span<uint8_t>(buf_.data(), header()->nlmsg_len); }

private:
    nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buf_.data()); }
    void append(const void* data, size_t len) {
        const size_t at = NLMSG_ALIGN(header()->nlmsg_len);
        if (at + NLMSG_ALIGN(len) > buf_.size()) {
            overflow_ = true;
            return;
        }
        if (len) std::memcpy(buf_.data() + at, data, len);
        header()->nlmsg_len = static_cast<uint32_t>(at + NLMSG_ALIGN(len));
    }
    alignas(nlmsghdr) std::array<uint8_t, 256> buf_{};
    bool overflow_ = false;
};

ifinfomsg link_header(unsigned index) {
    ifinfomsg i{};
    i.ifi_family = AF_UNSPEC;
    i.ifi_index = static_cast<int>(index);
    return i;
}

// The index of `name`, or an error saying it does not exist.
Result<unsigned> existing(const std::string& name) {
    const unsigned index = interface_index(name);
    if (!index) return Error{"interface " + name + " does not exist"};
    return index;
}

// The acknowledgement of request `seq` in one datagram from the kernel: 0 for
// success, an errno, or -1 when the datagram holds none.
int ack_in(const uint8_t* data, size_t len, uint32_t seq) {
    for (auto* h = reinterpret_cast<const nlmsghdr*>(data); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR) continue;
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return EPROTO;
        nlmsgerr e{};
        std::memcpy(&e, NLMSG_DATA(h), sizeof e);
        return -e.error;
    }
    return -1;
}

}  // namespace

unsigned interface_index(const std::string& name) { return ::if_nametoindex(name.c_str()); }

bool is_bridge(const std::string& name) {
    struct stat st {};
    return ::stat(("/sys/class/net/" + name + "/bridge").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<Rtnetlink> Rtnetlink::open() {
    UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd.valid()) return Error{errno_message("netlink socket", errno)};
    const timeval tv{kAnswerSeconds, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) < 0)
        return Error{errno_message("netlink bind", errno)};
    return Rtnetlink(std::move(fd));
}

Status Rtnetlink::request(std::span<uint8_t> message, const std::string& what) {
    if (message.empty()) return Error{what + ": request too large"};
    auto* h = reinterpret_cast<nlmsghdr*>(message.data());
    h->nlmsg_seq = ++seq_;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd_.get(), message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0)
        return Error{errno_message(what, errno)};
    alignas(nlmsghdr) std::array<uint8_t, 8192> answer;
    for (int datagrams = 0; datagrams < 64; ++datagrams) {
        const ssize_t n = ::recv(fd_.get(), answer.data(), answer.size(), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{errno_message(what + ": no answer from the kernel", errno)};
        const int err = ack_in(answer.data(), static_cast<size_t>(n), seq_);
        if (err == 0) return {};
        if (err > 0) return Error{errno_message(what, err)};
    }
    return Error{what + ": no answer from the kernel"};
}

Status Rtnetlink::add_address(const std::string& ifname, const config::IpPrefix& prefix) {
    const std::string what = "cannot add address " + prefix.text + " to " + ifname;
    auto index = existing(ifname);
    if (!index) return Error{what + ": " + index.error().message};
    Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    ifaddrmsg a{};
    a.ifa_family = static_cast<uint8_t>(prefix.family);
    a.ifa_prefixlen = static_cast<uint8_t>(prefix.length);
    a.ifa_scope = RT_SCOPE_UNIVERSE;
    a.ifa_index = *index;
    m.family_header(a);
    const size_t len = prefix.family == AF_INET ? 4 : 16;
    m.attr(IFA_LOCAL, prefix.bytes.data(), len);
    m.attr(IFA_ADDRESS, prefix.bytes.data(), len);
    return request(m.bytes(), what);
}

Status Rtnetlink::add_bridge(const std::string& name) {
    Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    m.family_header(link_header(0));
    m.attr_string(IFLA_IFNAME, name);
    const size_t info = m.nest_begin(IFLA_LINKINFO);
    m.attr(IFLA_INFO_KIND, "bridge", 6);
    m.nest_end(info);
    return request(m.bytes(), "cannot create bridge " + name);
}

Status Rtnetlink::set_master(const std::string& ifname, const std::string& bridge) {
    const std::string what = "cannot add " + ifname + " to bridge " + bridge;
    auto index = existing(ifname);
    if (!index) return Error{what + ": " + index.error().message};
    auto master = existing(bridge);
    if (!master) return Error{what + ": " + master.error().message};
    Message m(RTM_NEWLINK, 0);
    m.family_header(link_header(*index));
    const uint32_t value = *master;
    m.attr(IFLA_MASTER, &value, sizeof value);
    return request(m.bytes(), what);
}

Status Rtnetlink::set_up(const std::string& ifname) {
    const std::string what = "cannot bring " + ifname + " up";
    auto index = existing(ifname);
    if (!index) return Error{what + ": " + index.error().message};
    Message m(RTM_NEWLINK, 0);
    ifinfomsg i = link_header(*index);
    i.ifi_flags = IFF_UP;
    i.ifi_change = IFF_UP;
    m.family_header(i);
    return request(m.bytes(), what);
}

Status Rtnetlink::delete_link(const std::string& ifname) {
    const std::string what = "cannot delete " + ifname;
    auto index = existing(ifname);
    if (!index) return Error{what + ": " + index.error().message};
    Message m(RTM_DELLINK, 0);
    m.family_header(link_header(*index));
    return request(m.bytes(), what);
}

}  // namespace tvpn
