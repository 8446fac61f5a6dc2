#!/usr/bin/env bash
# A daemon killed (SIGKILL, mid-transfer) and started again: traffic resumes.
set -u
. "$(dirname "$0")/../lib/netns.sh"

readme_topology || { echo "topology failed"; exit 1; }
start_bg h1 "$TVPN_TMP/h1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
h1=$LAST_PID
start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
wait_ping lan1 192.168.2.10 10 || { echo "tunnel did not come up"; exit 1; }

# Kill h1's daemon while a transfer runs; the transfer may fail, the system must not.
(tcp_transfer lan1 lan2 192.168.2.10 64 5002 >/dev/null 2>&1) &
bulk=$!
sleep 1
kill -9 "$h1"
wait "$bulk" 2>/dev/null
in_ns h1 ping -c1 -W1 192.168.3.2 >/dev/null 2>&1 && { echo "ping works with the daemon dead?"; exit 1; }

start_bg h1 "$TVPN_TMP/h1b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
wait_ping lan1 192.168.2.10 10 || { echo "traffic did not resume after restart"; cat "$TVPN_TMP/h1b.log"; exit 1; }
tcp_transfer lan1 lan2 192.168.2.10 8 || exit 1
