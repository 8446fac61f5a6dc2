#!/usr/bin/env bash
# A peer known by host name that comes back at another address (a DynDNS
# host, a site that moved): h1 names h2 "peer-h2.test" (h1's own hosts file,
# /etc/netns); h2's daemon stops, h2 moves from 198.51.100.2 to .3, the name
# is changed to point there, and h2 starts again. h2's Inits to h1 come from
# an address h1 does not know, so only h1's re-resolution (while h2 is not
# responding) can bring the tunnel back: h1 then handshakes with the new
# address, and moves there once that handshake authenticates. A false
# answer (the name pointing at an address where nobody has the password)
# moves nothing.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
hosts_dir=/etc/netns/$(ns h1)
mkdir -p "$hosts_dir" && TVPN_ETC_DIRS+=("$hosts_dir")
# Written in place: `ip netns exec` bind-mounts this file over /etc/hosts for
# the daemon, so it must keep its inode.
point_name() { printf '127.0.0.1 localhost\n%s peer-h2.test\n' "$1" >"$hosts_dir/hosts"; }
point_name 198.51.100.2
pw="renamed peer lantern quiver basalt"
start_daemon h1 198.51.100.1 peer-h2.test -pwd "$pw" -v
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "$pw"
wait_ping lan1 192.168.2.10 15 || fail "the tunnel to peer-h2.test did not come up"
transfer "before the move" lan1 lan2 192.168.2.10 2

# First a false answer: the name points at an address with no TVPN behind it
# (h2's second address, no daemon listening there).
in_ns h2 sysctl -qw net.ipv4.conf.wan0.promote_secondaries=1  # .3 stays when .2 goes
in_ns h2 ip addr add 198.51.100.3/24 dev wan0
point_name 198.51.100.3
stop_daemon h2
t0=$SECONDS
wait_for 90 grep -q "peer-h2.test now resolves to 198.51.100.3:33000" "${DLOG[h1]}" ||
  fail "h1 never looked peer-h2.test up again while h2 was not responding"
echo "h1 re-resolved the name about $((SECONDS - t0)) s after h2 stopped"
sleep 3
daemon_status h1
grep -q "tunnel vlan3: 198.51.100.1:33000 -> 198.51.100.2:33000" <<<"$STATUS" ||
  fail "h1 moved to an address that never authenticated: $(grep 'tunnel vlan3' <<<"$STATUS")"

# Now h2 really moves there.
in_ns h2 ip addr del 198.51.100.2/24 dev wan0
start_daemon h2 198.51.100.3 198.51.100.1 -pwd "$pw"
t0=$SECONDS
wait_ping lan1 192.168.2.10 60 || fail "the tunnel did not come back after h2 moved to 198.51.100.3"
echo "tunnel back $((SECONDS - t0)) s after h2 restarted at its new address"
transfer "after the move" lan1 lan2 192.168.2.10 4
daemon_status h1
grep -q "tunnel vlan3: 198.51.100.1:33000 -> 198.51.100.3:33000 (learned)" <<<"$STATUS" ||
  fail "h1's endpoint is not the new address: $(grep 'tunnel vlan3' <<<"$STATUS")"
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: a peer's new address is used once a handshake there authenticates, and not before"
