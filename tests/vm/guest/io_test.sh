#!/usr/bin/env bash
# Frame I/O: read/write/poll/non-blocking semantics, queue bound, drop and
# error counters, a down interface, carrier, offload headers and batches,
# and interfaces removed under an attached file.
. "$(dirname "$0")/lib.sh"

# IPv6 off so that the stack sends only what the probe asks for.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
check "vnddconfig add vp0" "$VNDDCONFIG" add vp0 mac 02:00:00:00:77:01 noarp
ip addr add 192.168.77.1/24 dev vp0
ip link set vp0 up
for c in io offload batch detached-drop; do run_probe "$c" vp0; done
check_out "ip -s link shows the drops" 'TX:.*dropped' ip -s link show vp0
check "vnddconfig remove vp0" "$VNDDCONFIG" remove vp0

check "vnddconfig add vp1" "$VNDDCONFIG" add vp1
ip link set vp1 up
run_probe remove-attached vp1

# A frame pump killed mid-transfer, while the stack floods the interface.
check "vnddconfig add vp2 noarp" "$VNDDCONFIG" add vp2 noarp
ip addr add 192.168.78.1/24 dev vp2
ip link set vp2 up
bg_start /tmp/pump.log "$PROBE" pump vp2
pump=$LAST_PID
check "pump attached" wait_file_has /tmp/pump.log attached
ping -f -c 2000 -W 1 192.168.78.2 >/dev/null 2>&1 &
flood=$!
sleep 1
kill -9 "$pump"
check "pump killed" wait_gone "$pump"
wait "$flood" 2>/dev/null
check_out "carrier is down after the pump died" '^0$' cat /sys/class/net/vp2/carrier
check "vnddconfig remove vp2" "$VNDDCONFIG" remove vp2
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
finish
