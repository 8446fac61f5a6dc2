#!/usr/bin/env bash
# A peer that restarts is back within a handshake: h2's daemon is killed
# (SIGKILL, no goodbye) and started again, then h1's daemon is stopped
# (SIGTERM) and started again; each time traffic resumes quickly and a TCP
# transfer arrives intact.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "restart test tundra pickle"
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "restart test tundra pickle"
wait_ping lan1 192.168.2.10 15 || fail "the encrypted tunnel did not come up"
transfer "first transfer" lan1 lan2 192.168.2.10 4

kill -9 "${DPID[h2]}"
wait "${DPID[h2]}" 2>/dev/null
in_ns lan1 ping -c1 -W1 192.168.2.10 >/dev/null 2>&1 && fail "ping works with h2's daemon dead?"
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "restart test tundra pickle"
t0=$SECONDS
wait_ping lan1 192.168.2.10 10 || fail "traffic did not resume within 10 s after h2's daemon was killed and restarted"
echo "h2 killed and restarted: traffic back after about $((SECONDS - t0)) s"
transfer "transfer after h2's restart" lan1 lan2 192.168.2.10 8

stop_daemon h1
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "restart test tundra pickle"
t0=$SECONDS
wait_ping lan2 192.168.1.10 10 || fail "traffic did not resume within 10 s after h1's daemon was restarted"
echo "h1 stopped and restarted: traffic back after about $((SECONDS - t0)) s"
transfer "transfer after h1's restart" lan2 lan1 192.168.1.10 8

for h in h1 h2; do
  show_status "$h"
done
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: a restarted peer is back"
