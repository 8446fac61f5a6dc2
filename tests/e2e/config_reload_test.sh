#!/usr/bin/env bash
# SIGHUP (systemctl reload) re-reads vnddvpnd -config FILE. A hub runs from a
# file with spokes b, c and d, each spoke from its own file, over point-to-point
# underlay links. While the hub pings b every 0.2 s, its file is edited (c
# removed, d's Keepalive changed, e added) and SIGHUP sent: no ping is lost,
# b's handshake counts do not move at either end (its session survived), e
# answers, c no longer does and is gone from the status, d has a new session.
# Then a broken file (an unknown key) or a PasswordFile that cannot be read
# changes nothing and says so in one line naming file, line and key; a changed ListenPort is kept and logged as
# needing a restart; a daemon started without -config says reload needs it.
set -u
. "$(dirname "$0")/../lib/netns.sh"

C=$BUILD/vnddconfig D=$BUILD/vnddvpnd
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
die() { echo "FAILED: $*"; exit 1; }

declare -A UNDER=([b]=1 [c]=2 [d]=3 [e]=4) DPID DLOG
make_host hub || die "namespaces"
for s in b c d e; do
  n=${UNDER[$s]}
  make_host "$s" || die "namespaces"
  link hub "wan-$s" "198.51.100.$((n * 4 + 1))/30" "$s" wan0 "198.51.100.$((n * 4 + 2))/30" || die "underlay $s"
done
add_vif hub vlan3 192.168.3.1/24 || die "hub vlan3"
for s in b c d e; do add_vif "$s" vlan3 "192.168.3.$((UNDER[$s] + 1))/24" || die "$s vlan3"; done

ETC=$TVPN_TMP/etc
mkdir -p "$ETC"
for s in b c d e; do
  printf 'hub spoke %s plaid ferry orbit candle\n' "$s" >"$ETC/$s.key"
  chmod 600 "$ETC/$s.key"
done
spoke_addr() { echo "198.51.100.$((UNDER[$1] * 4 + 2))"; }
hub_addr() { echo "198.51.100.$((UNDER[$1] * 4 + 1))"; }
hub_peer() {
  printf '[Peer]\nName = %s\nEndpoint = %s:33000\nTunnelName = %s\nPasswordFile = %s\n%s\n' \
    "$1" "$(spoke_addr "$1")" "$1" "$ETC/$1.key" "${2-}"
}
write_hub() {  # write_hub [PORT] PEER...: the hub's file, atomically replaced
  local port=33000 p
  [[ $1 =~ ^[0-9]+$ ]] && { port=$1; shift; }
  { printf '[Interface]\nName = vlan3\nListenPort = %s\nKeepalive = 5\n\n' "$port"
    for p in "$@"; do hub_peer "$p"; done; } >"$ETC/hub.conf.new"
  mv "$ETC/hub.conf.new" "$ETC/hub.conf"
}
for s in b c d e; do
  printf '[Interface]\nName = vlan3\nListenPort = 33000\n[Peer]\nName = hub\nEndpoint = %s:33000\nTunnelName = %s\nPasswordFile = %s\n' \
    "$(hub_addr "$s")" "$s" "$ETC/$s.key" >"$ETC/$s.conf"
done
write_hub b c d

start() {  # start HOST ARGS...
  local h=$1; shift
  DLOG[$h]=$TVPN_TMP/$h.log
  start_bg "$h" "${DLOG[$h]}" "$D" "$@"
  DPID[$h]=$LAST_PID
}
start hub -config "$ETC/hub.conf"
for s in b d e; do start "$s" -config "$ETC/$s.conf"; done
# c runs from the command line: SIGHUP has nothing to re-read there.
start c -tunnel vlan3 "$(spoke_addr c)" 33000 "$(hub_addr c)" 33000 -pwd-file "$ETC/c.key" -name c
for h in hub b c d e; do wait_for 20 grep -q 'vlan3 up' "${DLOG[$h]}" || die "$h: the daemon did not come up"; done
for s in b c d; do wait_ping hub "192.168.3.$((UNDER[$s] + 1))" 20 || fail "the hub cannot ping $s before the reload"; done

status_of() { in_ns "$1" "$C" status vlan3 2>&1; }
# handshakes HOST PEER: the 'handshakes:' line of PEER's block in HOST's status.
handshakes() {
  status_of "$1" | awk -v n="$2" '/^tunnel /{cur=""} /^  name: /{cur=$2} cur==n && /handshakes:/' |
    grep -o 'initiated=[0-9]* answered=[0-9]* established=[0-9]*'
}
# established HOST PEER
established() { handshakes "$1" "$2" | sed 's/.*established=//'; }
reloads() { grep -c 'reload of ' "${DLOG[hub]}"; }

# Both ends start with a handshake of their own and may cross once: counts
# are taken once they hold still for 2 s (bounded).
settled() {
  local a b
  a="$(handshakes hub b)|$(handshakes b b)"; sleep 2; b="$(handshakes hub b)|$(handshakes b b)"
  [[ $a == "$b" ]]
}
wait_for 20 settled || fail "b's handshake counts do not settle"
hub_b_before=$(handshakes hub b) b_before=$(handshakes b b)
d_before=$(established d d)
[[ -n $hub_b_before && -n $b_before && -n $d_before ]] || die "no handshake counts in the status: $(status_of hub)"

# --- the reload, under a continuous ping across b
in_ns hub ping -i 0.2 -c 40 -W 2 192.168.3.2 >"$TVPN_TMP/ping.log" 2>&1 &
ping_pid=$!
TVPN_PIDS+=("$ping_pid")
sleep 2
write_hub b d e
sed -i "s|^\(PasswordFile = $ETC/d.key\)$|\1\nKeepalive = 3|" "$ETC/hub.conf"
grep -q 'Keepalive = 3' "$ETC/hub.conf" || die "the edit of d did not take"
before=$(reloads)
kill -HUP "${DPID[hub]}"
wait_for 10 sh -c "[ \$(grep -c 'reload of ' '${DLOG[hub]}') -gt $before ]" || fail "no reload logged after SIGHUP"
wait "$ping_pid"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TVPN_TMP/ping.log")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TVPN_TMP/ping.log")
[[ -n $sent && $sent == 40 && $got == "$sent" ]] || fail "pings to b lost across the reload: $(tail -n 2 "$TVPN_TMP/ping.log")"
echo "ping across the reload: $got of $sent answered"
grep -q "reload of $ETC/hub.conf: 1 added, 1 removed, 1 changed, 1 unchanged" "${DLOG[hub]}" ||
  fail "the reload's summary: $(grep 'reload' "${DLOG[hub]}")"
grep -q "peer d: Keepalive changed: new session" "${DLOG[hub]}" || fail "d's change is not logged"

[[ $(handshakes hub b) == "$hub_b_before" ]] || fail "b's handshakes at the hub moved: $hub_b_before -> $(handshakes hub b)"
[[ $(handshakes b b) == "$b_before" ]] || fail "b's handshakes at b moved: $b_before -> $(handshakes b b)"
wait_ping hub 192.168.3.5 20 || fail "the added peer e does not answer"
in_ns hub ping -c 2 -W 1 192.168.3.3 >/dev/null 2>&1 && fail "the removed peer c still answers"
status_of hub | grep -q '^  name: c$' && fail "c is still in the hub's status"
status_of hub | grep -q '^interface vlan3: 3 peers' || fail "the hub does not have 3 peers: $(status_of hub | head -n1)"
wait_for 10 sh -c "[ \"\$(ip netns exec $(ns d) $C status vlan3 | grep -o 'established=[0-9]*' | cut -d= -f2)\" -gt $d_before ]" ||
  fail "d has no new session after its change (established stays $d_before)"
wait_ping hub 192.168.3.4 10 || fail "d does not answer after its change"
grep -q 'SIGHUP: nothing to reload' "${DLOG[c]}" && fail "c logged a reload before it got SIGHUP"
kill -HUP "${DPID[c]}"
wait_for 5 grep -q 'SIGHUP: nothing to reload: only vnddvpnd -config FILE re-reads its file' "${DLOG[c]}" ||
  fail "the daemon without -config does not say reload needs it"

# --- a broken file changes nothing and says where
status_before=$(status_of hub | grep -E '^  name:|handshakes:' | sed 's/last [^;]*;//')
cp "$ETC/hub.conf" "$ETC/hub.conf.good"
printf 'Keepalive = 5\nBogus = 1\n' >>"$ETC/hub.conf"
line=$(grep -n '^Bogus' "$ETC/hub.conf" | cut -d: -f1)
kill -HUP "${DPID[hub]}"
wait_for 5 grep -q "reload of $ETC/hub.conf failed, nothing changed: $ETC/hub.conf:" "${DLOG[hub]}" ||
  fail "a broken file's reload is not refused"
refused=$(grep "failed, nothing changed" "${DLOG[hub]}" | tail -n1)
[[ $refused == *"$ETC/hub.conf:$((line - 1)): Keepalive: given twice"* || $refused == *"$ETC/hub.conf:$line: unknown key"*"Bogus"* ]] ||
  fail "the refusal does not name file, line and key: $refused"
sleep 0.5
[[ $(status_of hub | grep -E '^  name:|handshakes:' | sed 's/last [^;]*;//') == "$status_before" ]] ||
  fail "the broken file changed the peers or their sessions"
wait_ping hub 192.168.3.2 5 || fail "b does not answer after the broken reload"

# --- a PasswordFile that cannot be read (as EACCES would be once the daemon
# runs unprivileged) changes nothing either, and names it
sed "s|$ETC/e.key|$ETC/missing.key|" "$ETC/hub.conf.good" >"$ETC/hub.conf"
kill -HUP "${DPID[hub]}"
wait_for 5 grep -q "failed, nothing changed: $ETC/hub.conf:[0-9]*: PasswordFile: password file $ETC/missing.key: No such file" "${DLOG[hub]}" ||
  fail "an unreadable PasswordFile's reload is not refused: $(grep 'nothing changed' "${DLOG[hub]}" | tail -n1)"
sleep 0.5
[[ $(status_of hub | grep -E '^  name:|handshakes:' | sed 's/last [^;]*;//') == "$status_before" ]] ||
  fail "the unreadable PasswordFile changed the peers or their sessions"

# --- ListenPort cannot change while it runs: kept, logged, the peers still reload
mv "$ETC/hub.conf.good" "$ETC/hub.conf"
write_hub 33999 b d e
kill -HUP "${DPID[hub]}"
wait_for 5 grep -q "ListenPort stays 33000 (the file says 33999): it cannot change while vnddvpnd runs; restart vnddvpnd for it" "${DLOG[hub]}" ||
  fail "a changed ListenPort is not reported as kept"
wait_ping hub 192.168.3.2 5 || fail "b does not answer after the ListenPort reload"
[[ $(handshakes hub b) == "$hub_b_before" ]] || fail "b's handshakes moved after the ListenPort reload"

for h in hub b c d e; do
  kill -0 "${DPID[$h]}" 2>/dev/null || fail "$h: vnddvpnd is gone (crashed?)"
  stop_pid "${DPID[$h]}" || fail "$h: vnddvpnd did not stop"
  ((STOP_RC == 0)) || fail "$h: vnddvpnd exited with $STOP_RC"
  ! grep -q -E 'Sanitizer|runtime error:' "${DLOG[$h]}" || fail "$h: a sanitizer report"
done
((failures == 0)) || { echo "--- hub log"; cat "${DLOG[hub]}"; }
((failures == 0)) && echo "PASS: reload adds, removes and changes peers, keeps b's session and every ping"
exit $((failures > 0))
