#!/usr/bin/env bash
# README.md's copy-paste examples, run as written (tests/lib/readme_examples.sh
# reads each marked block from README.md itself, so an edited example is
# tested as edited, and a marked example that is missing or that this test
# never runs is a failure). Namespaces stand for the README's hosts, each with
# an /etc of its own:
#   the quick start: h1 (198.51.100.1) and h2 (198.51.100.2) ping each other
#     through vlan3, in clear and then with a password file;
#   the routed LANs: lan1 (192.168.1.10, behind h1) reaches lan2 (192.168.2.10,
#     behind h2) through the same tunnel;
#   the bridged LANs: pc1 and pc2 (192.168.1.10 and .20) behind site1 and site2,
#     one Ethernet, full-size frames included;
#   the hub: spoke1 and spoke2, each behind a NAT router, reach the hub
#     (203.0.113.1) and each other through it;
#   the configuration files: vnddconfig up on h1 and h2, status, down leaving
#     nothing behind.
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/../lib/private_etc.sh"
. "$here/../lib/readme_examples.sh"
. "$here/../lib/hub.sh"
README=$here/../../README.md

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
die() { echo "FAILED: $*"; exit 1; }
step() { printf '\n== %s\n' "$*"; }
# ex NAME [HOST]: runs a README example; the test cannot go on without it.
ex() { run_example "$@" || die "README example $1 did not run"; }

readme_examples_load "$README" || exit 1
echo "README.md: ${#EX_ORDER[@]} marked examples: ${EX_ORDER[*]}"

# copy_file FROM_HOST PATH TO_HOST PATH: what the README leaves to scp.
copy_file() {
  on_host "$1" cat "$2" | on_host "$3" sh -c 'mkdir -p "$(dirname "$1")" && umask 077 && cat >"$1"' _ "$4"
}
pids_in() { ip netns pids "$(ns "$1")"; }
declare -A INO
net_inode() { INO[$1]=$(in_ns "$1" stat -L -c %i /proc/self/ns/net); }
remove_records() { local h; for h in "${!INO[@]}"; do rm -f "/run/vnddvpnd/vlan3@net${INO[$h]}.up"; done; }
trap 'remove_records; tvpn_cleanup' EXIT

# --- the quick start and the routed LANs: lan1 - h1 == h2 - lan2
step "hosts: lan1 - h1 (198.51.100.1) == h2 (198.51.100.2) - lan2"
for h in lan1 h1 h2 lan2; do make_host "$h" || die "namespace $h"; done
link lan1 eth0 192.168.1.10/24 h1 lan0 192.168.1.254/24 || die "lan1"
link h1 wan0 198.51.100.1/24 h2 wan0 198.51.100.2/24 || die "underlay"
link h2 lan0 192.168.2.254/24 lan2 eth0 192.168.2.10/24 || die "lan2"
in_ns lan1 ip route add default via 192.168.1.254
in_ns lan2 ip route add default via 192.168.2.254
for h in h1 h2; do private_etc "$h" || die "private /etc on $h"; net_inode "$h"; done

step "quick start, in clear"
ex quickstart-add
ex quickstart-address-h1
ex quickstart-address-h2
ex quickstart-clear-h1
ex quickstart-clear-h2
wait_ping h1 192.168.3.2 10 || fail "the clear tunnel of the quick start did not come up: $(example_log quickstart-clear-h1 h1)"
ex quickstart-ping
grep -q "neither encrypted nor authenticated" <(example_log quickstart-clear-h1 h1) || fail "the clear tunnel did not warn"

step "the routed LANs over the clear tunnel"
ex routed-forward
ex routed-route-h1
ex routed-route-h2
wait_ping lan1 192.168.2.10 10 || fail "lan1 cannot reach lan2 through the routed tunnel"
wait_ping lan2 192.168.1.10 5 || fail "lan2 cannot reach lan1 through the routed tunnel"

step "quick start, with a password file"
stop_example quickstart-clear-h1 h1
stop_example quickstart-clear-h2 h2
ex quickstart-key
copy_file h1 /etc/tvpn/vlan3.key h2 /etc/tvpn/vlan3.key || die "copying the key to h2"
[[ $(on_host h1 stat -c %a /etc/tvpn/vlan3.key) == 600 ]] || fail "the README's key file is not mode 600"
ex quickstart-pwd-h1
ex quickstart-pwd-h2
wait_ping h1 192.168.3.2 20 || fail "the -pwd-file tunnel did not come up: $(example_log quickstart-pwd-h1 h1)"
ex quickstart-ping
wait_ping lan1 192.168.2.10 10 || fail "lan1 cannot reach lan2 through the encrypted tunnel"
status=$(in_ns h1 "$BUILD/vnddconfig" status vlan3) || fail "status of the -pwd-file tunnel: $status"
[[ $status == *"(pwd"* ]] || fail "the quick start's second tunnel is not encrypted: $status"
grep -q "neither encrypted" <(example_log quickstart-pwd-h1 h1) && fail "the -pwd-file tunnel called itself clear text"

step "configuration files: vnddconfig up, status, down"
stop_example quickstart-pwd-h1 h1
stop_example quickstart-pwd-h2 h2
ex quickstart-remove
ex config-h1
ex config-h2
ex config-up
wait_ping h1 192.168.3.2 15 || fail "the tunnel of the configuration files did not come up"
wait_ping lan1 192.168.2.10 10 || fail "lan1 cannot reach lan2 through vnddconfig up's tunnel (the files' PostUp routes)"
ex status
ex config-down
for h in h1 h2; do
  in_ns "$h" ip link show vlan3 >/dev/null 2>&1 && fail "config-down left vlan3 on $h"
  for f in "/run/vnddvpnd/vlan3@net${INO[$h]}".{up,pid,ctl}; do [[ -e $f ]] && fail "config-down left $f"; done
  for pid in $(pids_in "$h"); do
    [[ $pid == "${TVPN_ETC_HOLDER[$h]}" ]] || fail "config-down left $(ps -o pid=,args= -p "$pid") on $h"
  done
done

# --- the bridged LANs: pc1 - site1 == site2 - pc2, one subnet
step "hosts: pc1 - site1 (198.51.100.1) == site2 (198.51.100.2) - pc2"
for h in pc1 site1 site2 pc2; do make_host "$h" || die "namespace $h"; done
link site1 wan0 198.51.100.1/24 site2 wan0 198.51.100.2/24 || die "site underlay"
# lan_port SITE PC ADDR/LEN: PC's eth0 on SITE's LAN port eth1 (which the README bridges).
lan_port() {
  ip -n "$(ns "$1")" link add eth1 type veth peer name eth0 netns "$(ns "$2")" || return 1
  in_ns "$2" ip addr add "$3" dev eth0 && in_ns "$2" ip link set eth0 up
}
lan_port site1 pc1 192.168.1.10/24 && lan_port site2 pc2 192.168.1.20/24 || die "the sites' LANs"
for h in site1 site2; do private_etc "$h" || die "private /etc on $h"; done
copy_file h1 /etc/tvpn/vlan3.key site1 /etc/tvpn/vlan3.key && copy_file h1 /etc/tvpn/vlan3.key site2 /etc/tvpn/vlan3.key ||
  die "keys for the sites"
ex bridge-site
run_example_as quickstart-pwd-h1 site1 "" || die "the quick start's tunnel on site1"
run_example_as quickstart-pwd-h2 site2 "" || die "the quick start's tunnel on site2"
wait_ping pc1 192.168.1.20 20 || fail "pc1 cannot reach pc2 across the bridged LANs"
# A full-size frame (1500 bytes of IP, DF set) crosses the 1500-byte underlay whole.
in_ns pc1 ping -c 2 -W 3 -M 'do' -s 1472 192.168.1.20 >/dev/null || fail "a full-size frame did not cross the bridged LANs"

# --- the hub: spoke1 and spoke2 behind NAT routers (tests/lib/hub.sh's inet, nat1, nat2)
step "hosts: hub (203.0.113.1); spoke1 behind nat1, spoke2 behind nat2"
make_host inet || die "inet"
in_ns inet sysctl -qw net.ipv4.ip_forward=1
in_ns inet ip link add wanbr type bridge && in_ns inet ip addr add 198.51.100.254/24 dev wanbr && in_ns inet ip link set wanbr up ||
  die "inet's bridge"
make_host hub || die "hub"
link hub wan0 203.0.113.1/24 inet nhub 203.0.113.254/24 || die "hub's link"
in_ns hub ip route add default via 203.0.113.254
nat_router nat1 198.51.100.11 192.168.10 && nat_router nat2 198.51.100.12 192.168.20 || die "NAT routers"
behind nat1 spoke1 192.168.10.2 && behind nat2 spoke2 192.168.20.2 || die "spokes"
for h in hub spoke1 spoke2; do private_etc "$h" || die "private /etc on $h"; done
ex hub-keys
copy_file hub /etc/tvpn/spoke1.key spoke1 /etc/tvpn/hub.key && copy_file hub /etc/tvpn/spoke2.key spoke2 /etc/tvpn/hub.key ||
  die "spoke keys"
ex hub-interface
ex hub-daemon
ex spoke-interface
ex spoke-daemon
# spoke2 "alike, with its name and 192.168.3.12"
run_example_as spoke-interface spoke2 's/192\.168\.3\.11/192.168.3.12/' || die "spoke2's interface"
run_example_as spoke-daemon spoke2 's/spoke1/spoke2/g' || die "spoke2's daemon"
wait_ping spoke1 192.168.3.1 20 || fail "spoke1 cannot reach the hub: $(example_log spoke-daemon spoke1)"
wait_ping spoke2 192.168.3.1 20 || fail "spoke2 cannot reach the hub: $(example_log spoke-daemon spoke2)"
wait_ping spoke1 192.168.3.12 10 || fail "spoke1 cannot reach spoke2 through the hub"
status=$(in_ns hub "$BUILD/vnddconfig" status vlan3)
for n in 11 12; do
  [[ $status == *"198.51.100.$n:"* ]] || fail "the hub did not learn a spoke behind the NAT router 198.51.100.$n: $status"
done

# --- every marked example ran
missed=$(examples_not_run | tr '\n' ' ')
[[ -z $missed ]] || fail "README examples this test does not run (add them here): $missed"

((failures == 0)) || { echo "$failures failures"; exit 1; }
echo "ok: README's ${#EX_ORDER[@]} marked examples run as written: quick start (clear, -pwd-file), routed and bridged LANs, hub with spokes behind NAT, vnddconfig up/status/down"
