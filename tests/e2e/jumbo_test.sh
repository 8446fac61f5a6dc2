#!/usr/bin/env bash
# Jumbo frames: an underlay with MTU 9000 and interfaces made with
# `vnddconfig add vlan3 mtu 9000` (LAN ports 9000 too), -pwd: 8972-byte pings
# with DF pass both ways whole, the path MTU found is the underlay's, and the
# underlay hosts create no IP fragments.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
. "$(dirname "$0")/../lib/mtu_path.sh"

require_pwd
UNDERLAY_MTU=9000 LAN_MTU=9000 bridged_topology mtu 9000 || fail "topology"
before1=$(ip_frag_counters s1) before2=$(ip_frag_counters s2)
start_sites pwd
wait_path_mtu s1 8992 9000 60 || fail "the 9000-byte path was not found"
for dir in "1 2" "2 1"; do
  set -- $dir
  in_ns "lan$1" ping -M do -s 8972 -c 3 -i 0.2 -W 2 "192.168.5.$2" >"$TVPN_TMP/ping.out" 2>&1 ||
    fail "ping -M do -s 8972 lan$1 -> lan$2 failed: $(tail -n2 "$TVPN_TMP/ping.out")"
  echo "ping -M do -s 8972 lan$1 -> lan$2: $(grep -o '[0-9]* received' "$TVPN_TMP/ping.out")"
done
transfer "TCP lan1 -> lan2 at MTU 9000" lan1 lan2 192.168.5.2 8
after1=$(ip_frag_counters s1) after2=$(ip_frag_counters s2)
echo "underlay IP fragments: s1 $before1 -> $after1, s2 $before2 -> $after2"
[[ $before1 == "$after1" && $before2 == "$after2" ]] || fail "the underlay fragmented tunnel datagrams"
daemon_status s1
grep -E "path MTU|MSS clamp" <<<"$STATUS"
stop_sites
echo "ok: jumbo frames cross whole over a jumbo underlay"
