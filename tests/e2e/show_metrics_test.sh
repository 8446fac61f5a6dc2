#!/usr/bin/env bash
# vnddconfig show: one daemon on h1 serves three interfaces, vlan3 (-pwd to
# h2, peer site-b), vlan4 (clear text to h3, peer site-c) and vlan5 (-pwd to
# an address where nobody answers, peer site-d); a second daemon was killed
# and left a stale control socket (vlan6). `show`, `show IF`, `--json`
# (python3 -m json.tool, then every field of the schema and its type),
# `--prometheus` (a parser of the text format: HELP and TYPE before each
# family's samples, names, labels, escaping) and the exit codes; the counters
# grow after pings; h2 stopped, site-b is shown not responding and
# `status vlan3` exits 3.
set -u
TVPN_ID=showm$$
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
CHECK="python3 $(dirname "$0")/../lib/check_show.py"
PWD_B="show metrics amber lantern 41"
PWD_D="show metrics quiet harbour 17"

require_pwd
for h in h1 h2 h3; do make_host "$h" || fail "namespaces"; done
link h1 wan0 198.51.100.1/24 h2 wan0 198.51.100.2/24 || fail "link h1-h2"
link h1 wan1 203.0.113.1/24 h3 wan0 203.0.113.3/24 || fail "link h1-h3"
add_vif h1 vlan3 192.168.3.1/24 && add_vif h2 vlan3 192.168.3.2/24 && add_vif h1 vlan4 192.168.4.1/24 &&
  add_vif h3 vlan4 192.168.4.3/24 && add_vif h1 vlan5 192.168.5.1/24 && add_vif h1 vlan6 192.168.6.1/24 ||
  fail "interfaces"

show() { in_ns h1 "$BUILD/vnddconfig" show "$@"; }

# vlan6's daemon dies by SIGKILL: its control socket stays, nobody answers.
stale=/run/vnddvpnd/vlan6@net$(in_ns h1 stat -L -c %i /proc/self/ns/net)  # removed by tvpn_cleanup
start_bg h1 "$TVPN_TMP/h1-vlan6.log" "$BUILD/vnddvpnd" -tunnel vlan6 198.51.100.1 36000 198.51.100.2 36000
wait_for 10 test -S "$stale.ctl" || fail "vlan6's daemon has no control socket"
kill -9 "$LAST_PID"
wait "$LAST_PID" 2>/dev/null

DAEMON_RUNS=0
DLOG[h1]=$TVPN_TMP/h1.log
start_bg h1 "${DLOG[h1]}" "$BUILD/vnddvpnd" \
  -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "$PWD_B" -name site-b \
  -tunnel vlan4 203.0.113.1 34000 203.0.113.3 34000 -name site-c \
  -tunnel vlan5 198.51.100.1 35000 198.51.100.9 35000 -pwd "$PWD_D" -name site-d
DPID[h1]=$LAST_PID
DLOG[h2]=$TVPN_TMP/h2.log
start_bg h2 "${DLOG[h2]}" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd "$PWD_B" -name site-b
DPID[h2]=$LAST_PID
DLOG[h3]=$TVPN_TMP/h3.log
start_bg h3 "${DLOG[h3]}" "$BUILD/vnddvpnd" -tunnel vlan4 203.0.113.3 34000 203.0.113.1 34000 -name site-c
DPID[h3]=$LAST_PID
wait_ping h1 192.168.3.2 20 || fail "vlan3 (-pwd) did not come up"
wait_ping h1 192.168.4.3 10 || fail "vlan4 (clear) did not come up"

# --- The text for people.
out=$(show) || fail "show exited $?: $out"
echo "$out"
for want in "interface vlan3: backend \(tap\|vndd\), MTU 1500, listening on 198.51.100.1:33000" "  peer site-b: up" \
  "interface vlan4: .*listening on 203.0.113.1:34000" "  peer site-c: clear text" "  peer site-d: handshaking" \
  "interface vlan6: no daemon" "    last handshake: [0-9.]* s ago ([1-9][0-9]* completed" "    traffic: received [0-9.]* \(B\|KiB\) ([0-9]* packets), sent" \
  "    endpoint: 198.51.100.9:35000" "    path MTU: [0-9]*; fragments: " "    path MTU: not probed"; do
  grep -q "^$want" <<<"$out" || fail "show lacks '$want'"
done
one=$(show vlan4) || fail "show vlan4 exited $?"
grep -q "^interface vlan4:" <<<"$one" && ! grep -q "^interface vlan[356]" <<<"$one" || fail "show vlan4 shows: $one"

# --- Exit codes.
show vlan9 >/dev/null 2>"$TVPN_TMP/err"; rc=$?
((rc == 1)) && grep -q "no report for vlan9" "$TVPN_TMP/err" || fail "show vlan9 (no daemon) exited $rc: $(cat "$TVPN_TMP/err")"
show vlan6 >/dev/null 2>&1; rc=$?
((rc == 1)) || fail "show vlan6 (a dead daemon's socket) exited $rc"
show --yaml >/dev/null 2>&1; rc=$?
((rc == 2)) || fail "show --yaml exited $rc, not 2 (usage)"
show vlan3 -pidfile /nonexistent/x.pid >/dev/null 2>&1; rc=$?
((rc == 1)) || fail "show with a wrong -pidfile exited $rc"
in_ns h1 "$BUILD/vnddconfig" status vlan3 >/dev/null; rc=$?
((rc == 0)) || fail "status vlan3 exited $rc with its peer up"
echo "exit codes: show 0, show IF without daemon 1, bad option 2, status 0"

# --- JSON: valid, every field of the schema, counters that grow.
show --json >"$TVPN_TMP/before.json" || fail "show --json exited $?"
python3 -m json.tool "$TVPN_TMP/before.json" >/dev/null || fail "show --json is not JSON: $(head -c 300 "$TVPN_TMP/before.json")"
facts=$($CHECK json "$TVPN_TMP/before.json") || fail "$facts"
echo "$facts"
for want in "vlan3 site-b state=\"up\" codec=\"pwd\" endpoint=\"198.51.100.2:33000\" path_mtu=[0-9]" \
  "vlan4 site-c state=\"clear\" codec=\"clear\" endpoint=\"203.0.113.3:34000\" path_mtu=null last_handshake_seconds_ago=null" \
  "vlan5 site-d state=\"handshaking\" codec=\"pwd\" endpoint=\"198.51.100.9:35000\" path_mtu=[0-9]* last_handshake_seconds_ago=null" \
  "vlan6 daemon=false" "vlan3 daemon=true backend=\(tap\|vndd\) mtu=1500 listen=198.51.100.1:33000"; do
  grep -q "^$want" <<<"$facts" || fail "show --json: no '$want'"
done
grep -q "^vlan5 site-d .* handshakes_initiated=[1-9]" <<<"$facts" || fail "site-d's handshakes were not counted"
json1=$(show vlan3 --json) && [[ $(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["interfaces"]))' "$json1") == 1 ]] ||
  fail "show vlan3 --json: $json1"
in_ns h1 ping -q -c 20 -i 0.05 192.168.3.2 >/dev/null || fail "ping over vlan3"
in_ns h1 ping -q -c 20 -i 0.05 192.168.4.3 >/dev/null || fail "ping over vlan4"
show --json >"$TVPN_TMP/after.json" || fail "show --json exited $?"
$CHECK grew "$TVPN_TMP/before.json" "$TVPN_TMP/after.json" vlan3 site-b 20 || fail "vlan3's counters"
$CHECK grew "$TVPN_TMP/before.json" "$TVPN_TMP/after.json" vlan4 site-c 20 || fail "vlan4's counters"

# --- Prometheus: the format, then what it says.
show --prometheus >"$TVPN_TMP/metrics.prom" || fail "show --prometheus exited $?"
samples=$($CHECK prometheus "$TVPN_TMP/metrics.prom") || fail "$samples"
echo "$(grep -c . <<<"$samples") samples in $(grep -c '^# TYPE' "$TVPN_TMP/metrics.prom") families"
bytes=$(sed -n 's/^tvpn_peer_receive_bytes_total{interface=vlan3,peer=site-b} //p' <<<"$samples")
((bytes > 20 * 64)) || fail "tvpn_peer_receive_bytes_total of site-b is '$bytes'"
for want in "tvpn_interface_daemon_up{interface=vlan6} 0" "tvpn_interface_daemon_up{interface=vlan3} 1" \
  "tvpn_peer_state{interface=vlan5,peer=site-d,state=handshaking} 1" "tvpn_peer_state{interface=vlan3,peer=site-b,state=up} 1" \
  "tvpn_peer_state{interface=vlan4,peer=site-c,state=clear} 1" "tvpn_peer_drops_total{interface=vlan3,peer=site-b,reason=auth} 0" \
  "tvpn_interface_drops_total{interface=vlan4,reason=unknown-source} 0" "tvpn_peer_path_mtu_bytes{interface=vlan3,peer=site-b} "; do
  grep -qF "$want" <<<"$samples" || fail "--prometheus lacks '$want'"
done
now=$(date +%s)
hs=$(sed -n 's/^tvpn_peer_last_handshake_timestamp_seconds{interface=vlan3,peer=site-b} \([0-9]*\).*/\1/p' <<<"$samples")
((hs > now - 120 && hs <= now)) || fail "site-b's last handshake timestamp $hs is not within the last two minutes of $now"
! grep -q "last_handshake_timestamp_seconds{interface=vlan4" <<<"$samples" || fail "a clear peer has a handshake time"

# --- A peer that stops answering: shown so, and status exits 3.
kill -9 "${DPID[h2]}"
wait "${DPID[h2]}" 2>/dev/null
t0=$SECONDS
state() { show vlan3 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["peers"][0]["state"])'; }
peer_down() { [[ $(state) == not-responding ]] && return 0; sleep 1; return 1; }
wait_for 60 peer_down || fail "site-b is '$(state)' 60 s after h2 died"
echo "site-b not responding after about $((SECONDS - t0)) s"
in_ns h1 "$BUILD/vnddconfig" status vlan3 >/dev/null; rc=$?
((rc == 3)) || fail "status vlan3 exited $rc with site-b not responding (3 expected)"
show >/dev/null || fail "show exited $? with a peer not responding (0 expected: it reported)"
show --prometheus | grep -qF 'tvpn_peer_state{interface="vlan3",peer="site-b",state="not-responding"} 1' ||
  fail "--prometheus does not say site-b is not responding"
grep -q "vlan3 peer site-b: not responding" "${DLOG[h1]}" || fail "h1's log does not say site-b is not responding"
stop_daemon h1
stop_daemon h3
echo "ok: show, show IF, --json and --prometheus report every interface and peer; exit codes as documented"
