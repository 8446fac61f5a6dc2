#!/usr/bin/env bash
# Rekeying under traffic loses nothing: with a rekey every 2 seconds (the
# test-only -rekey option), a paced ping stream across several rekeys loses
# no packet, TCP transfers running across rekeys arrive intact, and no
# datagram is dropped for a missing or stale session key.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -rekey 2
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "rekey test" -rekey 2
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "rekey test" -rekey 2
wait_ping lan1 192.168.2.10 15 || fail "the encrypted tunnel did not come up"

# 1. 2000 pings 4 ms apart: 8 seconds, about four rekeys; none may be lost.
out=$(in_ns lan1 ping -q -c 2000 -i 0.004 -W 2 192.168.2.10 2>&1)
grep -q ' 0% packet loss' <<<"$out" || fail "pings lost across rekeys: $(grep 'packet loss' <<<"$out")"
echo "ping across rekeys: $(grep 'packet loss' <<<"$out")"

# 2. TCP transfers, one after the other, for 8 seconds, each checked.
start=$SECONDS n=0
while ((SECONDS - start < 8 && n < 50)); do
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
# About 16 s of traffic with a rekey every 2 s.
((rekeys >= 4)) || fail "only $rekeys rekeys in about 16 s with -rekey 2"
echo "$rekeys rekeys counted by the two ends"
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: rekeying every 2 s without loss"
