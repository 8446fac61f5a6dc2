#!/usr/bin/env bash
# Every offload path on the tap backend carries checked data: TCP over IPv4
# (TSO4) and IPv6 (TSO6) super-frames, UDP super-frames (USO, where the kernel
# offers it), and frames that cannot be offloaded (IP fragments, ICMP).
set -u
. "$(dirname "$0")/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
for h in a b; do in_ns "$h" "$BUILD/vnddconfig" add vlan3 mtu 1400 || exit 1; done
in_ns a ip addr add 192.168.3.1/24 dev vlan3
in_ns b ip addr add 192.168.3.2/24 dev vlan3
in_ns a ip -6 addr add fd00:3::1/64 dev vlan3 nodad
in_ns b ip -6 addr add fd00:3::2/64 dev vlan3 nodad
in_ns a ip link set vlan3 up; in_ns b ip link set vlan3 up
start_bg a "$TVPN_TMP/a.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
pa=$LAST_PID
start_bg b "$TVPN_TMP/b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
pb=$LAST_PID
wait_ping a 192.168.3.2 10 || { echo "tunnel did not come up"; exit 1; }

# super-frames split so far by the daemon on a (from its status on SIGUSR1)
split_count() {
  local before; before=$(grep -ac "last frame from peer" "$TVPN_TMP/a.log")
  kill -USR1 "$pa"
  wait_for 5 sh -c "[ \$(grep -ac 'last frame from peer' '$TVPN_TMP/a.log') -gt $before ]" || return 1
  # The newest status block: the lines after the last "status:".
  awk '/status:/{n=""} /offload:/{n=$2} END{print n+0}' "$TVPN_TMP/a.log"
}
expect_split_grew() {  # what, before
  local now; now=$(split_count); now=${now:-0}
  ((now > $2)) || { echo "$1: no super-frame was split (before $2, now $now): offload path not exercised"; exit 1; }
  echo "$1: $((now - $2)) super-frames split"
  SPLIT=$now
}

SPLIT=$(split_count); SPLIT=${SPLIT:-0}
tcp_transfer a b 192.168.3.2 16 || { echo "TCP over IPv4 failed"; exit 1; }
expect_split_grew "TCP/IPv4" "$SPLIT"
tcp_transfer a b fd00:3::2 16 5003 || { echo "TCP over IPv6 failed"; exit 1; }
expect_split_grew "TCP/IPv6" "$SPLIT"

# The receiving end merged segments back into super-frames (coalescing path).
kill -USR1 "$pb"
wait_for 5 grep -aq "coalesced into" "$TVPN_TMP/b.log" || { echo "b logged no offload status"; exit 1; }
merged=$(grep -ao "; [0-9]* frames coalesced" "$TVPN_TMP/b.log" | tail -n1 | awk '{print $2}')
((merged > 1000)) || { echo "receive coalescing not exercised: $merged frames merged"; exit 1; }
echo "TCP receive: $merged frames coalesced"

# UDP with GSO from the application: a UDP super-frame where the tap offers USO.
start_bg b "$TVPN_TMP/recv.log" "$BUILD/tools/udp_blast" recv 6000 2000 20
wait_for 5 grep -q ready "$TVPN_TMP/recv.log" || { echo "udp receiver did not start"; exit 1; }
in_ns a "$BUILD/tools/udp_blast" send 192.168.3.2 6000 200 1200 10 || { echo "UDP GSO send failed"; exit 1; }
wait_for 20 grep -q "received" "$TVPN_TMP/recv.log"
read -r _ got _ bad _ < <(grep received "$TVPN_TMP/recv.log")
((bad == 0 && got >= 1900)) || { echo "UDP GSO: $(cat "$TVPN_TMP/recv.log")"; exit 1; }
echo "UDP GSO: $got of 2000 datagrams intact"
if in_ns a ethtool -k vlan3 2>/dev/null | grep -q "tx-udp-segmentation: on"; then
  expect_split_grew "UDP/USO" "$SPLIT"
fi

# Not offloadable: UDP datagrams larger than the MTU (IP fragments) and big pings.
start_bg b "$TVPN_TMP/recv2.log" "$BUILD/tools/udp_blast" recv 6001 300 20
wait_for 5 grep -q ready "$TVPN_TMP/recv2.log" || { echo "udp receiver did not start"; exit 1; }
in_ns a "$BUILD/tools/udp_blast" send 192.168.3.2 6001 300 5000 || { echo "fragmented UDP send failed"; exit 1; }
wait_for 20 grep -q "received" "$TVPN_TMP/recv2.log"
read -r _ got _ bad _ < <(grep received "$TVPN_TMP/recv2.log")
((bad == 0 && got >= 285)) || { echo "fragmented UDP: $(cat "$TVPN_TMP/recv2.log")"; exit 1; }
echo "fragmented UDP: $got of 300 datagrams intact"
in_ns a ping -c 3 -i 0.2 -s 3000 192.168.3.2 >/dev/null || { echo "fragmented ping failed"; exit 1; }
in_ns a ping -6 -c 3 -i 0.2 -s 3000 fd00:3::2 >/dev/null || { echo "fragmented IPv6 ping failed"; exit 1; }
