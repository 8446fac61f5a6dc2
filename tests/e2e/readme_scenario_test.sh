#!/usr/bin/env bash
# The README's site-to-site scenario: lan1 reaches lan2 through vlan3 tunnelled
# between h1 and h2 over the underlay; a TCP transfer arrives intact.
# The same commands as README's, fixed here so that the test VM (tests/vm/guest)
# runs them on the vndd backend; readme_examples_test.sh runs README's own text.
set -u
. "$(dirname "$0")/../lib/netns.sh"

readme_topology || { echo "topology failed"; exit 1; }
start_bg h1 "$TVPN_TMP/h1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000

wait_ping h1 192.168.3.2 10 || { echo "tunnel did not come up"; cat "$TVPN_TMP"/h?.log; exit 1; }
wait_ping lan1 192.168.2.10 10 || { echo "lan1 cannot reach lan2"; exit 1; }
grep -q "neither encrypted nor authenticated" "$TVPN_TMP/h1.log" || { echo "no clear-text warning"; exit 1; }
tcp_transfer lan1 lan2 192.168.2.10 16 || exit 1
tcp_transfer lan2 lan1 192.168.1.10 4 || exit 1
