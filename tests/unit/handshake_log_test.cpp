// The handshake log lines: the fail2ban form of a failed guess names the
// source address and port (IPv4 and IPv6) in a fixed place, and a peer that
// speaks another protocol version is told in one clear, rate-limited line.
#include "common/pwd/handshake_log.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "tests/unit/secure_codec_ends.h"

namespace tvpn {
namespace {

using namespace test;

sockaddr_storage v4(const char* a, uint16_t port) {
    sockaddr_storage ss{};
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    EXPECT_EQ(inet_pton(AF_INET, a, &in->sin_addr), 1);
    return ss;
}

sockaddr_storage v6(const char* a, uint16_t port) {
    sockaddr_storage ss{};
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    EXPECT_EQ(inet_pton(AF_INET6, a, &in6->sin6_addr), 1);
    return ss;
}

TEST(HandshakeLog, FailedGuessLineNamesTheSource) {
    EXPECT_EQ(auth_failed_line(v4("198.51.100.7", 4000), "tunnel vlan3 (peer 198.51.100.7:4000)", "what"),
              "tvpn: authentication failed from 198.51.100.7 port 4000 on tunnel vlan3 (peer 198.51.100.7:4000): what");
    EXPECT_EQ(address_and_port(v6("2001:db8::7", 33000)), "2001:db8::7 port 33000");
    sockaddr_storage none{};
    EXPECT_EQ(address_and_port(none), "unknown address");
}

TEST(HandshakeLog, ForeignVersionOnlyForWhatLooksLikeAnotherPwdVersion) {
    const uint8_t v2_init[4] = {1, 2, 0, 0}, ours[4] = {1, wire::kVersion, 0, 0}, frame[4] = {1, 2, 3, 4},
                  unknown_type[4] = {9, 2, 0, 0};
    EXPECT_EQ(foreign_version(v2_init, 4), 2);
    EXPECT_EQ(foreign_version(ours, 4), -1);
    EXPECT_EQ(foreign_version(frame, 4), -1);
    EXPECT_EQ(foreign_version(unknown_type, 4), -1);
    EXPECT_EQ(foreign_version(v2_init, 3), -1);
}

// A peer running the previous protocol: its Inits are dropped as bad-version
// with one line (per minute) that says what is wrong.
TEST(HandshakeLog, AnOlderPeerIsNamedInTheLog) {
    testing::internal::CaptureStderr();
    {
        End b(1, wire::kRekeyAfterTime, Logger::Sink::Stderr);
        End a(1);
        a.codec->tick(5 * S);
        Bytes old = a.out.q.front();
        old[1] = 2;  // a version-2 Init
        for (int i = 0; i < 20; ++i) EXPECT_EQ(b.receive(old, 5 * S + i * S / 10).reason, DropReason::BadVersion);
    }
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(lines_with(err, "dropped a -pwd message of protocol version 2 from 198.51.100.2 port 4000: this end "
                              "speaks version 4; both ends must run the same -pwd protocol version"),
              1u)
        << err;
}

}  // namespace
}  // namespace tvpn
