// The lines the -pwd codec logs about handshakes that failed. One line per
// failed password guess (a run charged to the guess budget that was not
// confirmed), in a fixed form that always names the source address, so that
// fail2ban can count them (packaging/fail2ban/filter.d/tvpn.conf):
//   tvpn: authentication failed from 198.51.100.7 port 4000 on LABEL: WHAT
// The address comes from the socket, never from the datagram's contents, and
// LABEL and WHAT are ours: nothing the network sends reaches the line.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tvpn {

// "198.51.100.7 port 4000", "2001:db8::7 port 4000"; "unknown address" for another family.
std::string address_and_port(const sockaddr_storage& from);

std::string auth_failed_line(const sockaddr_storage& from, std::string_view label, std::string_view what);

// A datagram that looks like a -pwd message of another protocol version
// (type 1..5, reserved bytes zero): the version it carries, else -1.
int foreign_version(const uint8_t* msg, size_t size);

}  // namespace tvpn
