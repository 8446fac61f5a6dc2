#!/usr/bin/env bash
# Rekeying under traffic loses nothing: with a rekey every 2 seconds (the
# test-only -rekey option), a paced ping stream across several rekeys loses
# no packet, one long (paced) TCP transfer straddling several rekeys and
# full-speed ones arrive intact, and no datagram is dropped for a missing or
# stale session key.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -rekey 2
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "rekey test olive kettle" -rekey 2
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "rekey test olive kettle" -rekey 2
wait_ping lan1 192.168.2.10 15 || fail "the encrypted tunnel did not come up"

# 1. 2000 pings 4 ms apart: 8 seconds, about four rekeys; none may be lost.
out=$(in_ns lan1 ping -q -c 2000 -i 0.004 -W 2 192.168.2.10 2>&1)
grep -q ' 0% packet loss' <<<"$out" || fail "pings lost across rekeys: $(grep 'packet loss' <<<"$out")"
echo "ping across rekeys: $(grep 'packet loss' <<<"$out")"

# h1_rekeys: how many rekeys h1's status counts so far.
h1_rekeys() {
  daemon_status h1
  local n
  n=$(grep -o 'rekeys=[0-9]*' <<<"$STATUS" | tail -n1 | cut -d= -f2)
  echo "${n:-0}"
}

# 2. One long TCP transfer across several rekeys: h1's underlay is paced to
# 40 Mbit/s (tbf) so that 24 MiB take about 5 s.
if in_ns h1 tc qdisc add dev wan0 root tbf rate 40mbit burst 64kb latency 50ms 2>/dev/null; then
  mb=24
else
  echo "note: no tbf qdisc here; a bigger transfer instead"
  mb=512
fi
before=$(h1_rekeys)
t0=$SECONDS
transfer "one long TCP transfer across rekeys" lan1 lan2 192.168.2.10 "$mb"
during=$(($(h1_rekeys) - before))
echo "$mb MiB in about $((SECONDS - t0)) s, with $during rekeys on h1 meanwhile"
((during >= 2)) || fail "only $during rekeys during the long transfer; it did not straddle rekeys"
in_ns h1 tc qdisc del dev wan0 root 2>/dev/null

# 3. TCP transfers at full speed, one after the other, for 6 seconds.
start=$SECONDS n=0
while ((SECONDS - start < 6 && n < 50)); do
  transfer "TCP transfer $((n + 1)) across rekeys" lan1 lan2 192.168.2.10 16
  n=$((n + 1))
done
echo "$n TCP transfers of 16 MiB intact across rekeys"

rekeys=0
for h in h1 h2; do
  show_status "$h"
  for c in auth replay no-session malformed bad-version; do
    (($(counter "$c") == 0)) || fail "$h: $(counter "$c") $c drops while rekeying on a clean link"
  done
  grep -E 'session:|handshakes:' <<<"$STATUS" | sed "s/^ */$h: /"
  n=$(grep -o 'rekeys=[0-9]*' <<<"$STATUS" | tail -n1 | cut -d= -f2)
  rekeys=$((rekeys + ${n:-0}))
done
# About 20 s of traffic with a rekey every 2 s.
((rekeys >= 4)) || fail "only $rekeys rekeys in about 20 s with -rekey 2"
echo "$rekeys rekeys counted by the two ends"
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: rekeying every 2 s without loss"
