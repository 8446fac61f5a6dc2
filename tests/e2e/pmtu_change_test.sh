#!/usr/bin/env bash
# The path MTU changes under a running transfer (-pwd): the router's link
# towards s2 goes from 1500 to 1280 (its ICMP filtered, so only the tunnel's
# own probes can notice) and back to 1500. The transfer, a TCP connection
# writing full segments for about two minutes, completes intact; the path MTU
# the status shows follows down within 30 s and back up within 90 s, and
# full-size pings pass at each stage.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
. "$(dirname "$0")/../lib/mtu_path.sh"

require_pwd
black_hole_topology || fail "topology"
set_router_mtu 1500
start_sites pwd
wait_path_mtu s1 1492 1500 40 || fail "the 1500-byte path was not found"
SEG_PAUSE=0.01 SEG_LIMIT=240 segment_writer lan1 lan2 192.168.5.2 12000 >"$TVPN_TMP/writer.out" 2>&1 &
writer=$!
sleep 3
full_ping() { in_ns lan1 ping -M do -s 1472 -c 2 -i 0.3 -W 2 192.168.5.2 >/dev/null || fail "full-size ping lost $1"; }
full_ping "before the change"

set_router_mtu 1280
t0=$SECONDS
wait_path_mtu s1 1272 1280 30 || fail "the tunnel did not notice the path shrinking to 1280"
echo "path MTU down to the 1280 link's about $((SECONDS - t0)) s after the change"
full_ping "after the path shrank"

set_router_mtu 1500
t0=$SECONDS
wait_path_mtu s1 1492 1500 90 || fail "the tunnel did not notice the path growing back to 1500"
echo "path MTU back up about $((SECONDS - t0)) s after the link grew"
full_ping "after the path grew"

wait "$writer" || fail "the transfer across the changes failed: $(cat "$TVPN_TMP/writer.out")"
cat "$TVPN_TMP/writer.out"
daemon_status s1
grep -E "path MTU" <<<"$STATUS"
stop_sites
echo "ok: a transfer survives the path MTU shrinking and growing, and the status follows"
