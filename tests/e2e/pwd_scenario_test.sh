#!/usr/bin/env bash
# The README's scenario with -pwd: lan1 reaches lan2 through an encrypted,
# authenticated vlan3 tunnel (the very first ping included); TCP transfers
# both ways arrive intact; the daemons do not call the tunnel clear text,
# and keep the password out of their command lines.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "plaid ferry orbit candle"
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "plaid ferry orbit candle"

# The very first ping is answered: frames sent before the handshake completes
# are held, not dropped (the peer may still be deriving its key: up to 5 s).
for h in h1 h2; do
  wait_for 20 grep -q 'vlan3 up' "${DLOG[$h]}" || fail "$h: the daemon did not come up"
done
in_ns h1 ping -c 1 -W 5 192.168.3.2 >/dev/null || fail "the first ping through the new tunnel was not answered"
wait_ping h1 192.168.3.2 15 || fail "the encrypted tunnel did not come up (no ping 192.168.3.1 -> .2 in 15 s)"
wait_ping lan1 192.168.2.10 10 || fail "lan1 cannot reach lan2 through the encrypted tunnel"
transfer "TCP transfer lan1 -> lan2" lan1 lan2 192.168.2.10 16
transfer "TCP transfer lan2 -> lan1" lan2 lan1 192.168.1.10 4 5002

for h in h1 h2; do
  alive "$h"
  grep -q "neither encrypted nor authenticated" "${DLOG[$h]}" && fail "$h: says the -pwd tunnel is clear text"
  grep -q "plaid ferry orbit candle" "/proc/${DPID[$h]}/cmdline" && fail "$h: the password is visible in /proc/PID/cmdline"
  daemon_status "$h"
  grep -q "(clear)" <<<"$STATUS" && fail "$h: status shows the clear codec for a -pwd tunnel"
  for c in auth replay malformed bad-version; do
    (($(counter "$c") == 0)) || fail "$h: $c drops on a clean link: $(grep drops: <<<"$STATUS" | tail -n1)"
  done
done
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: README scenario with -pwd"
