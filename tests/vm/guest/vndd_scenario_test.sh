#!/usr/bin/env bash
# The README scenario on the vndd backend, then the daemon killed in the
# middle of a TCP transfer and restarted: the tunnel recovers, the kernel
# stays clean. Then the README's -pwd commands on vndd: a checked transfer
# through the encrypted tunnel, and the interface set down and up again
# under the daemon. Namespaces lan1 - h1 == h2 - lan2 as in tests/lib/netns.sh.
set -u
BUILD=${BUILD:-/tvpn/build}
. "$(dirname "$0")/../../lib/netns.sh"

fail() { echo "not ok - $*"; cat "$TVPN_TMP"/h?.log 2>/dev/null | tail -20; exit 1; }

readme_topology || fail "topology"
in_ns h1 "$BUILD/vnddconfig" list | grep -Eq '^vlan3 +vndd ' || fail "vlan3 is not on the vndd backend"
echo "ok - vlan3 is a vndd interface in h1 and h2"
start_bg h1 "$TVPN_TMP/h1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
h1_pid=$LAST_PID
start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
h2_pid=$LAST_PID
wait_ping lan1 192.168.2.10 20 || fail "lan1 cannot reach lan2"
grep -q 'vndd' "$TVPN_TMP/h1.log" || fail "the daemon does not say it uses the vndd backend"
in_ns h1 "$BUILD/vnddconfig" list | grep -Eq '^vlan3 +vndd .*pid [0-9]+' || fail "list does not show the attached daemon"
tcp_transfer lan1 lan2 192.168.2.10 4 || fail "transfer lan1 -> lan2"
echo "ok - 4 MiB lan1 -> lan2 over vndd"

# Kill h2's daemon with SIGKILL while a transfer is running.
in_ns lan2 timeout 20 socat -u TCP-LISTEN:5002,reuseaddr OPEN:/dev/null &
sink=$!
sleep 0.5
# An endless stream: with offloads a fixed-size file may be done within the second.
in_ns lan1 timeout 20 socat -u OPEN:/dev/zero TCP:192.168.2.10:5002 &
source=$!
sleep 1
kill -0 "$source" 2>/dev/null || fail "the transfer ended before the daemon could be killed"
kill -9 "$h2_pid"
for _ in $(seq 50); do kill -0 "$h2_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$h2_pid" 2>/dev/null && fail "daemon did not die"
echo "ok - daemon killed mid-transfer"
[[ $(in_ns h2 cat /sys/class/net/vlan3/carrier) == 0 ]] || fail "carrier still up without a daemon"
echo "ok - carrier down without a daemon"
kill "$source" "$sink" 2>/dev/null
wait "$source" "$sink" 2>/dev/null

start_bg h2 "$TVPN_TMP/h2b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
h2_pid=$LAST_PID
wait_ping lan1 192.168.2.10 20 || fail "the tunnel did not recover after the restart"
tcp_transfer lan2 lan1 192.168.1.10 4 5003 || fail "transfer after restart"
echo "ok - restarted daemon carries 4 MiB lan2 -> lan1"

stop_pid "$h1_pid" && stop_pid "$h2_pid" || fail "the clear daemons did not stop on SIGTERM"
start_bg h1 "$TVPN_TMP/h1p.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "vndd secret plaid orbit"
h1_pid=$LAST_PID
start_bg h2 "$TVPN_TMP/h2p.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd "vndd secret plaid orbit"
h2_pid=$LAST_PID
wait_ping lan1 192.168.2.10 90 || fail "the -pwd tunnel did not come up over vndd"
# The line is written on the daemon's next timer tick (its event log), which
# may come after the first ping's answer.
wait_for 5 grep -q 'handshake complete' "$TVPN_TMP/h1p.log" "$TVPN_TMP/h2p.log" ||
  fail "no handshake in the -pwd daemons' logs"
tcp_transfer lan1 lan2 192.168.2.10 4 5004 || fail "transfer through the -pwd tunnel over vndd"
echo "ok - -pwd tunnel over vndd carries 4 MiB lan1 -> lan2"

# h2's interface set down under its daemon: the module refuses its writes
# (ENETDOWN); the daemon counts them as device errors and keeps running;
# up again, the tunnel carries traffic.
in_ns h2 ip link set vlan3 down
in_ns lan1 ping -c 10 -i 0.2 -W 1 192.168.2.10 >/dev/null 2>&1 && fail "ping went through a down interface"
kill -0 "$h2_pid" 2>/dev/null || fail "the daemon died when its interface went down"
grep -q 'write to vlan3: .*Network is down' "$TVPN_TMP/h2p.log" || fail "the daemon did not report the refused writes"
in_ns h2 "$BUILD/vnddconfig" status vlan3 | grep -Eq 'device-error=[1-9]' || fail "status does not count the refused writes"
echo "ok - writes to the down interface are refused, counted, and the daemon keeps running"
in_ns h2 ip link set vlan3 up
in_ns h2 ip route add 192.168.1.0/24 via 192.168.3.1 2>/dev/null
wait_ping lan1 192.168.2.10 30 || fail "the tunnel did not recover once the interface was up again"
echo "ok - up again, the tunnel carries traffic"
stop_pid "$h1_pid"; stop_pid "$h2_pid"
