#!/usr/bin/env bash
# A handshake flood does not stop an established tunnel. Once the tunnel is
# up, the attacker on the path (udp_relay on mid) sends each end 10000
# datagrams a second that come from its peer's address: replays of the
# handshake messages it recorded, and copies of them with random bytes after
# the first 8. Pings and a TCP transfer still get through, rekeys (every 3 s
# here) still complete, and the daemons survive and stay responsive.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -rekey 3
relay_topology || fail "topology"
start_relay --flood 10000 --record 4 --flood-after 3600
start_daemon h1 198.51.100.1 198.51.100.254 -pwd "flood test amber tundra" -rekey 3
start_daemon h2 203.0.113.2 203.0.113.254 -pwd "flood test amber tundra" -rekey 3
wait_ping lan1 192.168.2.10 15 || fail "the tunnel did not come up through the relay"

# rekeys_now: rekeys counted by both ends so far.
rekeys_now() {
  local h n total=0
  for h in h1 h2; do
    daemon_status "$h"
    n=$(grep -o 'rekeys=[0-9]*' <<<"$STATUS" | tail -n1 | cut -d= -f2)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
rekeys_before=$(rekeys_now)
flood_start=$SECONDS

kill -USR2 "$RELAY_PID"   # start flooding
sleep 2
out=$(in_ns lan1 ping -q -c 200 -i 0.02 -W 1 192.168.2.10 2>&1)
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
echo "ping during the flood: $(grep 'packet loss' <<<"$out")"
[[ -n "$loss" ]] && awk -v l="$loss" 'BEGIN {exit !(l <= 10)}' || fail "the flood stopped the tunnel: ${loss:-?}% ping loss"
transfer "TCP transfer during the flood" lan1 lan2 192.168.2.10 16
transfer "TCP transfer back during the flood" lan2 lan1 192.168.1.10 4 5002
# Two handshakes at least (each counts at both ends), the first 3 + 5 s after
# the tunnel came up; up to 20 s of flood, while it goes on.
for _ in $(seq 40); do
  rekeys_during=$(($(rekeys_now) - rekeys_before))
  ((rekeys_during >= 4 || SECONDS - flood_start >= 20)) && break
  sleep 0.5
done
echo "$rekeys_during rekeys completed during $((SECONDS - flood_start)) s of flood"
((rekeys_during >= 4)) || fail "the flood stalled rekeying: $rekeys_during rekeys in $((SECONDS - flood_start)) s with -rekey 3"
flood_drops=0
for h in h1 h2; do
  show_status "$h"
  grep -E 'session:|handshakes:' <<<"$STATUS" | sed "s/^ */$h: /"
  flood_drops=$((flood_drops + $(drops_total)))
done
((flood_drops >= 1000)) || fail "the daemons dropped only $flood_drops datagrams: did the flood reach them?"
stop_relay
sed 's/^/  /' "$RELAY_LOG"
for d in "a->b" "b->a"; do
  (($(relay_count "$d" flooded) > 20000)) || fail "the relay flooded only $(relay_count "$d" flooded) datagrams $d"
done
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: an established tunnel carries traffic through a handshake flood"
