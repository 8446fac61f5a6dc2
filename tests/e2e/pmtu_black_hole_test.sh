#!/usr/bin/env bash
# A PMTU black hole: a router between the sites whose next link has MTU 1280
# and which drops every ICMP message, so "fragmentation needed" never comes
# back. With -pwd and in clear, a TCP connection that writes one full segment
# at a time and a bulk transfer both complete between the bridged LANs; with
# -pwd the path MTU the tunnel shows is the 1280-byte link's. What the router
# sees tells DF apart: with -pwd every tunnel datagram has DF and the router
# fragments none; in clear and with -cipher des none has DF (the original's
# format: the kernel fragments what does not fit, nothing is dropped).
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
. "$(dirname "$0")/../lib/mtu_path.sh"

require_pwd
black_hole_topology || fail "topology"
for mode in pwd clear des; do
  echo "== $mode"
  read -r frag0 _ _ <<<"$(ip_frag_counters r)"
  in_ns r timeout 120 tcpdump -ni wan0 -v -c 200000 'udp port 33000' >"$TVPN_TMP/r-$mode.dump" 2>/dev/null &
  dump=$!
  sleep 0.5
  start_sites "$mode"
  segment_writer lan1 lan2 192.168.5.2 200 || fail "$mode: the one-segment-at-a-time connection did not complete"
  transfer "$mode: bulk TCP lan1 -> lan2" lan1 lan2 192.168.5.2 8
  transfer "$mode: bulk TCP lan2 -> lan1" lan2 lan1 192.168.5.1 4
  in_ns lan1 ping -M do -s 1472 -c 2 -i 0.2 -W 2 192.168.5.2 >/dev/null || fail "$mode: full-size ping lost"
  if [[ $mode == pwd ]]; then
    wait_path_mtu s1 1272 1280 60 || fail "pwd: the path MTU shown is not the 1280-byte link's"
    daemon_status s1
    grep -E "path MTU" <<<"$STATUS"
  fi
  read -r frag1 _ _ <<<"$(ip_frag_counters r)"
  stop_sites
  kill "$dump" 2>/dev/null; wait "$dump" 2>/dev/null
  df=$(grep -c 'flags \[DF\]' "$TVPN_TMP/r-$mode.dump") nodf=$(grep -c 'flags \[none\]' "$TVPN_TMP/r-$mode.dump")
  echo "$mode: tunnel datagrams at the router: $df with DF, $nodf without; the router made $((frag1 - frag0)) IP fragments"
  ((df + nodf > 100)) || fail "$mode: the router saw only $((df + nodf)) tunnel datagrams"
  if [[ $mode == pwd ]]; then
    ((nodf == 0)) || fail "pwd: $nodf tunnel datagrams without DF"
    ((frag1 == frag0)) || fail "pwd: the router fragmented tunnel datagrams"
  else
    ((df == 0)) || fail "$mode: $df tunnel datagrams with DF (a black hole drops them)"
  fi
done
echo "ok: a path with a smaller MTU and no ICMP neither stalls nor loses full-size frames"
