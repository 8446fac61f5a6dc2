#!/usr/bin/env bash
# One daemon, two tunnels sharing one local socket (0.0.0.0:33000) to two
# spokes; each spoke reaches the hub over its own tunnel, datagrams from an
# unknown source are dropped and counted.
set -u
. "$(dirname "$0")/../lib/netns.sh"

hub_topology || exit 1

start_bg hub "$TVPN_TMP/hub.log" "$BUILD/vnddvpnd" \
  -tunnel vlan3 0.0.0.0 33000 198.51.100.2 33000 -tunnel vlan4 0.0.0.0 33000 203.0.113.2 33000
hub=$LAST_PID
start_bg s1 "$TVPN_TMP/s1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
start_bg s2 "$TVPN_TMP/s2.log" "$BUILD/vnddvpnd" -tunnel vlan4 203.0.113.2 33000 203.0.113.1 33000

wait_ping s1 192.168.3.1 10 || { echo "s1 cannot reach the hub"; cat "$TVPN_TMP"/*.log; exit 1; }
wait_ping s2 192.168.4.1 10 || { echo "s2 cannot reach the hub"; cat "$TVPN_TMP"/*.log; exit 1; }
tcp_transfer s1 hub 192.168.3.1 8 || exit 1
tcp_transfer hub s2 192.168.4.2 8 || exit 1

# A datagram from a port that is no tunnel's peer is dropped and counted.
for _ in 1 2 3; do echo junk | in_ns s1 socat -u - UDP-SENDTO:198.51.100.1:33000,sourceport=40000; done
sleep 0.5
kill -USR1 "$hub"
wait_for 5 grep -q "unknown-source(socket)=3" "$TVPN_TMP/hub.log" ||
  { echo "unknown-source datagrams not counted"; grep drops "$TVPN_TMP/hub.log"; exit 1; }
grep -q "tunnel vlan4: 0.0.0.0:33000 -> 203.0.113.2:33000" "$TVPN_TMP/hub.log" || { echo "status lacks vlan4"; exit 1; }
# vnddconfig status IF shows IF's peers only, although one daemon serves both.
for pair in "vlan3 vlan4" "vlan4 vlan3"; do
  set -- $pair
  out=$(in_ns hub "$BUILD/vnddconfig" status "$1" 2>&1) || { echo "status $1 failed: $out"; exit 1; }
  grep -q "^tunnel $1: " <<<"$out" || { echo "status $1 lacks $1: $out"; exit 1; }
  grep -q "^tunnel $2: " <<<"$out" && { echo "status $1 shows $2 too: $out"; exit 1; }
done
echo "status IF shows only IF's tunnel" 
