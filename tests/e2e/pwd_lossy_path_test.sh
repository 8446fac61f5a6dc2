#!/usr/bin/env bash
# A lossy path: the relay drops a tenth of all datagrams, handshake
# messages included, both ways. The handshake still completes (retries,
# resent confirmations), rekeys every 2 seconds still complete, and TCP
# transfers arrive intact.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -rekey 2
relay_topology || fail "topology"
start_relay --drop 0.1
start_daemon h1 198.51.100.1 198.51.100.254 -pwd "lossy path cobalt wizard" -rekey 2
start_daemon h2 203.0.113.2 203.0.113.254 -pwd "lossy path cobalt wizard" -rekey 2
wait_ping lan1 192.168.2.10 30 || fail "no handshake through a path losing 10% in 30 s"
echo "the tunnel came up through the lossy path"
start=$SECONDS n=0
while ((SECONDS - start < 10 && n < 20)); do
  transfer "TCP transfer $((n + 1)) over the lossy path" lan1 lan2 192.168.2.10 1
  n=$((n + 1))
done
rekeys=0
for h in h1 h2; do
  show_status "$h"
  grep -E 'handshakes:' <<<"$STATUS" | sed "s/^ */$h: /"
  r=$(grep -o 'rekeys=[0-9]*' <<<"$STATUS" | tail -n1 | cut -d= -f2)
  rekeys=$((rekeys + ${r:-0}))
done
((rekeys >= 2)) || fail "only $rekeys rekeys completed in 10 s with -rekey 2 over the lossy path"
stop_relay
sed 's/^/  /' "$RELAY_LOG"
(($(relay_count "a->b" dropped) > 0 && $(relay_count "b->a" dropped) > 0)) || fail "the relay dropped nothing"
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: handshakes, rekeys and transfers survive a path losing 10% of datagrams"
