#!/usr/bin/env bash
# How written frames enter the stack, through tracepoints and kprobes
# (vndd_probe rxpath, tests/vm/probe/rxpath_cases.cpp): from the writer's
# task with BH off, counters updated with BH off, the linear part capped,
# headroom for forwarding. Then frames queued for a file whose interface
# goes away (vndd_probe orphan-purge).
. "$(dirname "$0")/lib.sh"

sysctl -qw net.ipv6.conf.default.disable_ipv6=1
check "vnddconfig add vrx0 mtu 9000" "$VNDDCONFIG" add vrx0 mtu 9000 mac 02:00:00:00:77:11 noarp
ip addr add 192.168.77.1/24 dev vrx0
ip link set vrx0 up
# Where forwarded frames go: out of vfw0 to a neighbour that needs no ARP.
check "veth vfw0-vfw1" ip link add vfw0 type veth peer name vfw1
ip addr add 192.168.79.1/24 dev vfw0
ip link set vfw0 up && ip link set vfw1 up
check "static neighbour 192.168.79.2" ip neigh add 192.168.79.2 lladdr 02:00:00:00:79:02 dev vfw0 nud permanent
forward=$(sysctl -n net.ipv4.ip_forward)
sysctl -qw net.ipv4.ip_forward=1
run_probe rxpath vrx0
sysctl -qw net.ipv4.ip_forward="$forward"
check "ip link del vfw0" ip link del vfw0
check "vnddconfig remove vrx0" "$VNDDCONFIG" remove vrx0

run_probe orphan-purge
refuse "no test interface left behind" test -e /sys/class/net/vq0
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
finish
