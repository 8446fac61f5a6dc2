#!/usr/bin/env bash
# Two LANs bridged over the tunnel at the defaults (interface MTU 1500, LAN
# ports 1500, underlay 1500), with -pwd and in clear: full-size pings with
# DF and 1518-byte 802.1Q frames pass both ways, a 20 MB TCP transfer
# arrives intact, and with -pwd the underlay hosts create and reassemble no
# IP fragments at all (the tunnel cuts what does not fit, inside its protocol).
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
. "$(dirname "$0")/../lib/mtu_path.sh"

require_pwd
bridged_topology || fail "topology"
for h in s1 s2; do
  mtu=$(in_ns "$h" cat /sys/class/net/vlan3/mtu)
  [[ $mtu == 1500 ]] || fail "$h: vlan3 has MTU $mtu, not the default 1500"
done
for mode in pwd clear; do
  echo "== $mode"
  before1=$(ip_frag_counters s1) before2=$(ip_frag_counters s2)
  start_sites "$mode"
  if [[ $mode == pwd ]]; then wait_path_mtu s1 1492 1500 30 || fail "pwd: the path MTU was not found"; fi
  for dir in "1 2" "2 1"; do
    set -- $dir
    in_ns "lan$1" ping -M do -s 1472 -c 3 -i 0.2 -W 2 "192.168.5.$2" >"$TVPN_TMP/ping.out" 2>&1 ||
      fail "$mode: ping -M do -s 1472 lan$1 -> lan$2 failed: $(tail -n2 "$TVPN_TMP/ping.out")"
    echo "$mode: ping -M do -s 1472 lan$1 -> lan$2: $(grep -o '[0-9]* received' "$TVPN_TMP/ping.out")"
    tagged_frame "lan$1" "lan$2" 1518 || fail "$mode: a 1518-byte 802.1Q frame lan$1 -> lan$2 did not arrive whole"
  done
  transfer "$mode: TCP lan1 -> lan2" lan1 lan2 192.168.5.2 20
  transfer "$mode: TCP lan2 -> lan1" lan2 lan1 192.168.5.1 4
  after1=$(ip_frag_counters s1) after2=$(ip_frag_counters s2)
  echo "$mode: underlay IP fragments (FragCreates ReasmReqds Ip6FragCreates): s1 $before1 -> $after1, s2 $before2 -> $after2"
  if [[ $mode == pwd ]]; then
    [[ $before1 == "$after1" && $before2 == "$after2" ]] || fail "pwd: the underlay fragmented tunnel datagrams"
    daemon_status s1
    grep -E "path MTU|fragments|MSS clamp" <<<"$STATUS"
    sent=$(sed -n 's/.*fragments: sent \([0-9]*\) .*/\1/p' <<<"$STATUS" | tail -n1)
    ((sent > 0)) || fail "pwd: no frame was cut into fragments (the 1472-byte pings need it)"
  fi
  stop_sites
done
echo "ok: bridged LANs carry full-size frames, tagged or not, with -pwd and in clear"
