#!/usr/bin/env bash
# Point to point: two hosts, vlan3 on each, addresses on the tunnel only;
# IPv6 underlay and host names as endpoints; traffic both ways.
set -u
. "$(dirname "$0")/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
in_ns a ip -6 addr add 2001:db8::1/64 dev wan0 nodad
in_ns b ip -6 addr add 2001:db8::2/64 dev wan0 nodad
for h in a b; do in_ns "$h" "$BUILD/vnddconfig" add vlan3 mtu 1400 || exit 1; done
in_ns a ip addr add 192.168.3.1/24 dev vlan3; in_ns a ip link set vlan3 up
in_ns b ip addr add 192.168.3.2/24 dev vlan3; in_ns b ip link set vlan3 up
[[ $(in_ns a cat /sys/class/net/vlan3/mtu) == 1400 ]] || { echo "mtu 1400 not applied"; exit 1; }

# IPv6 underlay, the peer given as a bracket-free literal.
start_bg a "$TVPN_TMP/a.log" "$BUILD/vnddvpnd" -tunnel vlan3 2001:db8::1 33000 2001:db8::2 33000
pa=$LAST_PID
start_bg b "$TVPN_TMP/b.log" "$BUILD/vnddvpnd" -tunnel vlan3 2001:db8::2 33000 2001:db8::1 33000
wait_ping a 192.168.3.2 10 || { echo "no ping over IPv6 underlay"; cat "$TVPN_TMP"/?.log; exit 1; }
tcp_transfer b a 192.168.3.1 8 || exit 1

stop_pid "$pa" || { echo "daemon a did not stop on SIGTERM"; exit 1; }
((STOP_RC == 0)) || { echo "daemon a exited $STOP_RC on SIGTERM"; exit 1; }
grep -q "stopping" "$TVPN_TMP/a.log" || { echo "daemon a did not log a clean stop"; exit 1; }
stop_pid "$LAST_PID"

# IPv4 underlay with host names: ip netns exec mounts /etc/netns/NS/hosts over /etc/hosts.
for h in a b; do mkdir -p "/etc/netns/$(ns "$h")"; TVPN_ETC_DIRS+=("/etc/netns/$(ns "$h")"); done
printf '198.51.100.1 host-a\n198.51.100.2 host-b\n' | tee "/etc/netns/$(ns a)/hosts" >"/etc/netns/$(ns b)/hosts"
start_bg a "$TVPN_TMP/a2.log" "$BUILD/vnddvpnd" -tunnel vlan3 host-a 33001 host-b 33001
start_bg b "$TVPN_TMP/b2.log" "$BUILD/vnddvpnd" -tunnel vlan3 host-b 33001 host-a 33001
wait_ping b 192.168.3.1 10 || { echo "no ping with host names"; cat "$TVPN_TMP"/?2.log; exit 1; }
tcp_transfer a b 192.168.3.2 8 || exit 1
