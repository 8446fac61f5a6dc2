#!/usr/bin/env bash
# The interface deleted under a running daemon: the daemon says so and exits
# with an error instead of spinning; with two tunnels, the other one keeps going.
set -u
. "$(dirname "$0")/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
for h in a b; do
  for i in 3 4; do
    in_ns "$h" "$BUILD/vnddconfig" add "vlan$i" || exit 1
    in_ns "$h" ip link set "vlan$i" up
  done
done
in_ns a ip addr add 192.168.4.1/24 dev vlan4; in_ns b ip addr add 192.168.4.2/24 dev vlan4
start_bg a "$TVPN_TMP/a.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 \
  -tunnel vlan4 198.51.100.1 33001 198.51.100.2 33001
pa=$LAST_PID
start_bg b "$TVPN_TMP/b.log" "$BUILD/vnddvpnd" -tunnel vlan4 198.51.100.2 33001 198.51.100.1 33001
wait_ping a 192.168.4.2 10 || { echo "vlan4 tunnel did not come up"; exit 1; }

in_ns a ip link del vlan3
wait_for 5 grep -q "vlan3: interface lost" "$TVPN_TMP/a.log" || { echo "no log line for the lost vlan3"; cat "$TVPN_TMP/a.log"; exit 1; }
kill -0 "$pa" || { echo "daemon exited although vlan4 is still there"; exit 1; }
in_ns a ping -c 2 -i 0.2 -W 1 192.168.4.2 >/dev/null || { echo "vlan4 stopped working"; exit 1; }
cpu_before=$(awk '{print $14 + $15}' "/proc/$pa/stat"); sleep 1
cpu_after=$(awk '{print $14 + $15}' "/proc/$pa/stat")
((cpu_after - cpu_before < 50)) || { echo "daemon spins: $((cpu_after - cpu_before)) ticks of CPU in 1 s"; exit 1; }

in_ns a ip link del vlan4
wait_for 5 bash -c "! kill -0 $pa 2>/dev/null" || { echo "daemon did not exit with every interface gone"; exit 1; }
wait "$pa"; rc=$?
((rc == 1)) || { echo "daemon exited $rc, expected 1"; exit 1; }
grep -q "every tunnel's interface is gone" "$TVPN_TMP/a.log" || { echo "no final log line"; exit 1; }
