#!/usr/bin/env bash
# A peer that vanishes is noticed, and is not hammered: h2's daemon is killed
# while h1 keeps sending; within a minute h1's status says NOT RESPONDING and
# its log says so; meanwhile h1 retries the handshake with growing intervals
# (backoff), not at a fixed rate. When h2 comes back, traffic flows and
# h1's log and status say the peer is responding again.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "lost peer amber lantern"
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "lost peer amber lantern"
wait_ping lan1 192.168.2.10 15 || fail "the encrypted tunnel did not come up"
transfer "transfer before" lan1 lan2 192.168.2.10 2

capture_start h1 wan0 "$TVPN_TMP/lost.pcap"
kill -9 "${DPID[h2]}"
wait "${DPID[h2]}" 2>/dev/null
t0=$SECONDS
# h1 keeps sending into the tunnel meanwhile.
in_ns h1 ping -q -i 0.5 -w 70 192.168.3.2 >/dev/null 2>&1 &
pinger=$!
TVPN_PIDS+=("$pinger")

# peer_lost: h1's status says the peer is not responding.
peer_lost() {
  daemon_status h1
  grep -q 'NOT RESPONDING' <<<"$STATUS"
}
lost=0
while ((SECONDS - t0 < 60)); do
  peer_lost && { lost=1; break; }
  sleep 2
done
((lost)) || fail "h1's status does not say NOT RESPONDING 60 s after its peer died: $(grep '^ *peer:' <<<"$STATUS")"
in_ns h1 "$BUILD/vnddconfig" status vlan3 >/dev/null 2>&1
rc=$?
((rc == 3)) || fail "vnddconfig status vlan3 exits $rc with its peer not responding (3 expected, for monitoring)"
echo "vnddconfig status vlan3 exits 3 while the peer is not responding"
echo "h1 noticed after about $((SECONDS - t0)) s: $(grep '^ *peer:' <<<"$STATUS" | sed 's/^ *//')"
grep -q -i 'not responding' "${DLOG[h1]}" || fail "h1's log does not say the peer is not responding"
sleep 10   # let a few more handshake retries happen
kill "$pinger" 2>/dev/null
capture_stop

# Handshake inits (129-byte datagrams, UDP length 137) h1 sent while its peer was gone.
times=$(tcpdump -r "$TVPN_TMP/lost.pcap" -n -tt 'src host 198.51.100.1 and udp[4:2] = 137' 2>/dev/null | cut -d' ' -f1)
count=$(grep -c . <<<"$times")
gaps=$(awk 'NR > 1 {printf "%.1f ", $1 - prev} {prev = $1}' <<<"$times")
echo "h1 sent $count handshake inits in about $((SECONDS - t0)) s; gaps: $gaps"
((count >= 3)) || fail "h1 retried the handshake only $count times while its peer was gone"
((count <= 15)) || fail "h1 sent $count handshake inits in about $((SECONDS - t0)) s: no backoff"
awk -v g="$gaps" 'BEGIN {n = split(g, a, " "); exit !(n >= 2 && a[n] > 2 * a[1])}' ||
  fail "the retry intervals do not grow: $gaps"

start_daemon h2 198.51.100.2 198.51.100.1 -pwd "lost peer amber lantern"
wait_ping lan1 192.168.2.10 20 || fail "traffic did not resume when the peer came back"
wait_for 5 grep -q -i 'responding again' "${DLOG[h1]}" || fail "h1's log does not say the peer is responding again"
daemon_status h1
grep -q '^ *peer: responding' <<<"$STATUS" || fail "h1's status still says: $(grep '^ *peer:' <<<"$STATUS")"
in_ns h1 "$BUILD/vnddconfig" status vlan3 >/dev/null 2>&1 || fail "vnddconfig status vlan3 exits $? with the peer back"
transfer "transfer after" lan1 lan2 192.168.2.10 4
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: a vanished peer is noticed, retried with backoff, and welcomed back"
