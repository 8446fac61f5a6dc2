#!/usr/bin/env bash
# A hub and three spokes on one vlan3 (tests/lib/hub.sh): spokes 1 and 2
# behind one NAT, spoke 3 behind another, a password per spoke, each spoke's
# LAN bridged to its tunnel. LAN hosts reach each other through the hub
# (relayed by its daemon) and the hub itself; a broadcast reaches everyone;
# a 20 MiB TCP transfer spoke-to-spoke arrives intact; the NAT mapping of a
# spoke changes mid-transfer (conntrack flushed, random ports) and the TCP
# connection survives because the hub follows the authenticated datagrams;
# a host whose MAC moves from one spoke to another is followed at once; a
# spoke whose public address changes is followed within seconds.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
. "$(dirname "$0")/../lib/hub.sh"

nat_hub_topology || fail "topology"
start_hub -v  # the endpoint moves are logged with -v
for n in 1 2 3; do start_spoke "$n"; done
for h in hub s1 s2 s3; do
  wait_for 20 grep -q 'vlan3 up' "${DLOG[$h]}" || fail "$h: the daemon did not come up"
done

for n in 1 2 3; do
  wait_ping "lan$n" 192.168.50.100 20 || fail "lan$n cannot reach the hub"
done
wait_ping lan1 192.168.50.2 10 || fail "lan1 cannot reach lan2 (both behind nat1, through the hub)"
wait_ping lan1 192.168.50.3 10 || fail "lan1 cannot reach lan3 (through the hub)"
wait_ping lan3 192.168.50.2 10 || fail "lan3 cannot reach lan2 (through the hub)"
wait_ping hub 192.168.50.3 10 || fail "the hub cannot reach lan3"

# A broadcast ping from lan1 is answered by the hub and the two other LANs.
replies=$(in_ns lan1 ping -b -c 3 -W 2 192.168.50.255 2>/dev/null | grep -o 'from 192.168.50.[0-9]*' | sort -u | wc -l)
((replies >= 3)) || fail "a broadcast from lan1 was answered by $replies hosts, not 3"

daemon_status hub
grep -q "interface vlan3: 3 peers" <<<"$STATUS" || fail "the hub's status does not show one interface with 3 peers"
grep -q "(learned)" <<<"$STATUS" || fail "the hub's status does not show learned endpoints"

transfer "TCP transfer lan1 -> lan3 through the hub" lan1 lan3 192.168.50.3 20

# endpoint_of NAME: the hub's current endpoint for peer NAME, from its status.
endpoint_of() {
  daemon_status hub
  awk -v want="name: $1" '/^tunnel vlan3:/ {ep = $5} index($0, want) {print ep; exit}' <<<"$STATUS"
}

# NAT rebinding mid-transfer: nat1 forgets its mappings; spoke 1's next
# datagrams leave from a new random port. The hub must follow.
src=$TVPN_TMP/rebind.src dst=$TVPN_TMP/rebind.dst
head -c $((20 * 1024 * 1024)) /dev/urandom >"$src"
in_ns lan2 timeout 90 socat -u TCP-LISTEN:5009,reuseaddr "CREATE:$dst" &
listener=$!
wait_for 5 in_ns lan2 sh -c "ss -Hltn 'sport = :5009' | grep -q ." || fail "no listener on lan2"
# Paced (40 Mbit/s, about 4 s for 20 MiB) so that the flush falls mid-transfer.
in_ns lan1 tc qdisc add dev eth0 root tbf rate 40mbit burst 64kbit latency 200ms || fail "tc tbf on lan1"
in_ns lan1 timeout 90 socat -u "OPEN:$src" TCP:192.168.50.2:5009 &
sender=$!
before=$(endpoint_of spoke1)
[[ $before == 198.51.100.11:* ]] || fail "the hub does not show spoke1 behind nat1 (endpoint '$before')"
sleep 1.5
in_ns nat1 conntrack -F >/dev/null 2>&1 || fail "conntrack -F failed in nat1"
wait "$sender" || fail "the TCP sender across the rebinding failed"
wait "$listener" || fail "the TCP receiver across the rebinding failed"
in_ns lan1 tc qdisc del dev eth0 root
[[ $(sha256sum <"$src" | cut -d' ' -f1) == $(sha256sum <"$dst" | cut -d' ' -f1) ]] ||
  fail "the transfer across the NAT rebinding arrived damaged ($(stat -c%s "$dst") bytes)"
after=$(endpoint_of spoke1)
[[ $after == 198.51.100.11:* && $after != "$before" ]] ||
  fail "spoke1's endpoint did not follow the rebinding ($before before, $after after)"
(($(grep -c "peer spoke1: endpoint now" "${DLOG[hub]}") >= 2)) || fail "the hub did not log spoke1's move"
echo "ok: 20 MiB across a NAT rebinding ($before -> $after)"

# Spoke 3's public address changes (its NAT router gets another one, as a
# DSL line after a reconnect): traffic resumes within seconds, since the hub
# follows spoke 3's next authenticated datagram (a keepalive at the latest).
in_ns nat2 sysctl -qw net.ipv4.conf.wan0.promote_secondaries=1
in_ns nat2 ip addr add 198.51.100.13/24 dev wan0
in_ns nat2 ip addr del 198.51.100.12/24 dev wan0
in_ns nat2 ip route replace default via 198.51.100.254
in_ns nat2 conntrack -F >/dev/null 2>&1
t0=$SECONDS
wait_ping lan3 192.168.50.100 15 || fail "lan3 does not reach the hub after spoke 3's address changed"
ep=$(endpoint_of spoke3)
[[ $ep == 198.51.100.13:* ]] || fail "the hub did not follow spoke 3 to its new address (endpoint '$ep')"
echo "ok: spoke 3's new address ($ep) is followed; traffic back after about $((SECONDS - t0)) s"

# A MAC that moves from one spoke to another is followed: lan3's host
# (MAC and address) goes away behind spoke 3 and comes back behind spoke 1.
# The hub learnt that MAC behind spoke 3; its answers reach the host at
# its new place only if the switch moved the MAC at once.
in_ns hub ping -c 2 -W 2 192.168.50.3 >/dev/null || fail "the hub cannot reach lan3 before the move"
mac3=$(in_ns lan3 cat /sys/class/net/eth0/address)
in_ns lan3 ip link set eth0 down
make_host lan4 || fail "lan4"
ip -n "$(ns s1)" link add lan4p type veth peer name eth0 netns "$(ns lan4)" || fail "lan4's veth"
in_ns s1 ip link set lan4p master br0
in_ns s1 ip link set lan4p up
in_ns lan4 ip link set eth0 address "$mac3"
in_ns lan4 ip addr add 192.168.50.3/24 dev eth0
in_ns lan4 ip link set eth0 up
wait_ping lan4 192.168.50.100 10 || fail "lan3's MAC, moved behind spoke 1, does not get the hub's answers"
in_ns hub ping -c 2 -W 2 192.168.50.3 >/dev/null || fail "the hub does not reach lan3's MAC behind spoke 1"
echo "ok: a MAC that moved from spoke 3 to spoke 1 is followed"

for h in hub s1 s2 s3; do
  alive "$h"
  daemon_status "$h"
  for c in auth malformed bad-version; do
    (($(counter "$c") == 0)) || fail "$h: $c drops: $(grep drops: <<<"$STATUS" | tail -n1)"
  done
done
for h in hub s1 s2 s3; do stop_daemon "$h"; done
echo "ok: hub and spokes behind NAT"
