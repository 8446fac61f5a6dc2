#!/usr/bin/env bash
# make demo: plays the README's scenario on this one machine. Four network
# namespaces stand for lan1, H1, H2 and lan2; the "Internet" between H1 and H2
# is a veth link on 198.51.100.0/24 (a documentation range). Everything is
# removed at the end.
set -u
. "$(dirname "$0")/lib/netns.sh"
step() { printf '\n== %s\n' "$*"; }
show() { printf '   [%s] %s\n' "$1" "${*:2}"; in_ns "$@"; }

step "Hosts: lan1 (192.168.1.10), H1 (192.168.1.254, 198.51.100.1), H2 (198.51.100.2, 192.168.2.254), lan2 (192.168.2.10)"
for h in lan1 h1 h2 lan2; do make_host "$h" || exit 1; done
link lan1 eth0 192.168.1.10/24 h1 lan0 192.168.1.254/24 || exit 1
link h1 wan0 198.51.100.1/24 h2 wan0 198.51.100.2/24 || exit 1
link h2 lan0 192.168.2.254/24 lan2 eth0 192.168.2.10/24 || exit 1
show lan1 ip route add default via 192.168.1.254
show lan2 ip route add default via 192.168.2.254

step "On H1 and H2: vnddconfig add vlan3"
show h1 "$BUILD/vnddconfig" add vlan3 || exit 1
show h2 "$BUILD/vnddconfig" add vlan3 || exit 1
show h1 "$BUILD/vnddconfig" list

step "Address the virtual LAN 3 (the README uses ifconfig; ip does the same)"
show h1 ip addr add 192.168.3.1/24 dev vlan3; show h1 ip link set vlan3 up
show h2 ip addr add 192.168.3.2/24 dev vlan3; show h2 ip link set vlan3 up

step "Start the tunnels"
echo "   [h1] vnddvpnd -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000"
start_bg h1 "$TVPN_TMP/h1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
echo "   [h2] vnddvpnd -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000"
start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
wait_ping h1 192.168.3.2 10 || { echo "the tunnel did not come up"; cat "$TVPN_TMP"/h?.log; exit 1; }
sed 's/^/   [h1 log] /' "$TVPN_TMP/h1.log"

step "H1 and H2 become gateways: ip_forward, and a route to the other LAN through vlan3"
show h1 sysctl -w net.ipv4.ip_forward=1
show h2 sysctl -w net.ipv4.ip_forward=1
show h1 ip route add 192.168.2.0/24 via 192.168.3.2
show h2 ip route add 192.168.1.0/24 via 192.168.3.1

step "lan1 pings lan2 across the tunnel"
show lan1 ping -c 3 -i 0.2 192.168.2.10 || exit 1

step "lan1 sends 8 MiB to lan2 over TCP"
tcp_transfer lan1 lan2 192.168.2.10 8 | sed 's/^/   /' || exit 1

step "Tunnel status on H1 (SIGUSR1)"
kill -USR1 "${TVPN_PIDS[0]}"; sleep 0.3
sed -n '/status:/,$p' "$TVPN_TMP/h1.log" | sed 's/^/   /'

step "The same tunnel encrypted: restart both daemons with -pwd"
stop_pid "${TVPN_PIDS[0]}"; stop_pid "${TVPN_PIDS[1]}"
echo "   [h1] vnddvpnd -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd 'demo password olive kettle'"
start_bg h1 "$TVPN_TMP/h1s.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd 'demo password olive kettle'
echo "   [h2] vnddvpnd -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd 'demo password olive kettle'"
start_bg h2 "$TVPN_TMP/h2s.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd 'demo password olive kettle'
wait_ping lan1 192.168.2.10 15 || { echo "the encrypted tunnel did not come up"; cat "$TVPN_TMP"/h?s.log; exit 1; }
sed 's/^/   [h1 log] /' "$TVPN_TMP/h1s.log"
show lan1 ping -c 3 -i 0.2 192.168.2.10 || exit 1
tcp_transfer lan1 lan2 192.168.2.10 8 | sed 's/^/   /' || exit 1
echo "   [h1] vnddconfig status vlan3"
in_ns h1 "$BUILD/vnddconfig" status vlan3 | sed 's/^/   /'

step "Done: stopping the daemons and removing the namespaces"
