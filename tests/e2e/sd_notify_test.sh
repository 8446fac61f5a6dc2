#!/usr/bin/env bash
# vnddvpnd speaks systemd's notify protocol (sd_notify) when NOTIFY_SOCKET is
# set: a python3 AF_UNIX datagram socket stands in for systemd. Checks:
# READY=1 only once the tunnel is usable (its socket bound, its control
# socket answering, a ping through it right after), STATUS= with the peer
# summary (the handshake seen at once, traffic later), WATCHDOG=1 at half of
# WATCHDOG_USEC while WATCHDOG_PID is the daemon's, RELOADING=1 with
# MONOTONIC_USEC then READY=1 on SIGHUP, STOPPING=1 on SIGTERM. The peer's
# daemon runs without NOTIFY_SOCKET and is unaffected.
set -u
. "$(dirname "$0")/../lib/netns.sh"

C=$BUILD/vnddconfig D=$BUILD/vnddvpnd
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
die() { echo "FAILED: $*"; exit 1; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

make_host a && make_host b || die "namespaces"
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || die "underlay"
add_vif a vlan3 192.168.3.1/24 && add_vif b vlan3 192.168.3.2/24 || die "vlan3"
ETC=$TVPN_TMP/etc
mkdir -p "$ETC"
printf 'notify plaid ferry orbit candle\n' >"$ETC/vlan3.key"
chmod 600 "$ETC/vlan3.key"
for h in a b; do
  other=$([[ $h == a ]] && echo 198.51.100.2 || echo 198.51.100.1)
  printf '[Interface]\nName = vlan3\nListenPort = 33000\nPasswordFile = %s\n[Peer]\nName = peer\nEndpoint = %s:33000\n' \
    "$ETC/vlan3.key" "$other" >"$ETC/$h.conf"
done

# The stand-in for systemd: each datagram one line, "SECONDS|FIELD|FIELD...".
# Its directory and socket are open to all: the daemon may have dropped to
# an unprivileged user by the time it notifies.
SOCKDIR=$(mktemp -d /tmp/tvpn-notify.XXXXXX)
chmod 755 "$SOCKDIR"
trap 'rm -rf "$SOCKDIR"; tvpn_cleanup' EXIT
NOTES=$TVPN_TMP/notify.log
python3 - "$SOCKDIR/notify" "$NOTES" <<'PY' &
import os, socket, sys, time
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)
s.settimeout(1.0)
end = time.monotonic() + 120  # bounded, whatever happens
with open(out, "a", buffering=1) as f:
    while time.monotonic() < end:
        try:
            data = s.recv(4096)
        except socket.timeout:
            continue
        f.write("%.6f|%s\n" % (time.monotonic(), data.decode(errors="replace").strip().replace("\n", "|")))
PY
TVPN_PIDS+=("$!")
wait_for 5 test -S "$SOCKDIR/notify" || die "the test's notify socket did not appear"

start_bg b "$TVPN_TMP/b.log" "$D" -config "$ETC/b.conf"
# WATCHDOG_PID must be the daemon's own: the shell's PID, which exec hands on.
WATCHDOG_USEC=2000000
LOG=$TVPN_TMP/a.log
sh -c 'export WATCHDOG_PID=$$; exec ip netns exec "$1" env NOTIFY_SOCKET="$2" WATCHDOG_USEC="$3" "$4" -config "$5"' \
  sh "$(ns a)" "$SOCKDIR/notify" "$WATCHDOG_USEC" "$D" "$ETC/a.conf" </dev/null >"$LOG" 2>&1 &
PID=$!
TVPN_PIDS+=("$PID")

# READY=1, and at that moment the tunnel is usable.
wait_for 20 grep -q '|READY=1' "$NOTES" || die "no READY=1 (log: $(cat "$LOG"))"
in_ns a ss -Hlun 'sport = :33000' | grep -q . || fail "READY=1 came before the tunnel's socket was bound"
in_ns a "$C" status vlan3 >/dev/null 2>&1 || fail "READY=1 came before the control socket answered"
grep -q 'vlan3 up' "$LOG" || fail "READY=1 came before the 'tunnel vlan3 up' log line"
ready_line=$(grep -m1 '|READY=1' "$NOTES")
[[ $ready_line == *"|STATUS=1 peer: 0 up, 1 not responding; in "*", out "* ]] ||
  fail "READY=1 without a STATUS summary (the handshake still to come): $ready_line"
wait_ping a 192.168.3.2 10 || fail "no ping through the tunnel after READY=1"

# STATUS= tells the handshake at once and the traffic every few seconds.
wait_for 10 grep -q '|STATUS=1 peer: 1 up, 0 not responding' "$NOTES" || fail "no STATUS= with the peer up: $(grep STATUS "$NOTES")"
in_ns a ping -c 5 -i 0.2 -s 1000 192.168.3.2 >/dev/null 2>&1
wait_for 10 grep -q '|STATUS=1 peer: 1 up, 0 not responding; in [0-9.]* KiB' "$NOTES" ||
  fail "no STATUS= refresh showing the traffic: $(grep STATUS "$NOTES" | tail -n 3)"

# WATCHDOG=1 at half of WATCHDOG_USEC (1 s): several, none far apart.
sleep 4
mapfile -t dog < <(grep '|WATCHDOG=1' "$NOTES" | cut -d'|' -f1)
((${#dog[@]} >= 4)) || fail "only ${#dog[@]} WATCHDOG=1 in ~10 s with WATCHDOG_USEC=2 s"
gaps=$(printf '%s\n' "${dog[@]}" | awk 'NR > 1 { g = $1 - prev; if (g > max) max = g } { prev = $1 } END { printf "%.2f", max }')
awk -v g="$gaps" 'BEGIN { exit !(g <= 1.5) }' || fail "WATCHDOG=1 gaps up to $gaps s (expected about 1 s)"
echo "watchdog: ${#dog[@]} keep-alives, largest gap $gaps s"

# SIGHUP: RELOADING=1 with the monotonic time, then READY=1.
before=$(wc -l <"$NOTES")
kill -HUP "$PID"
wait_for 10 sh -c "tail -n +$((before + 1)) '$NOTES' | grep -q '|READY=1'" || fail "no READY=1 after SIGHUP"
after=$(tail -n +$((before + 1)) "$NOTES" | grep -E '\|(RELOADING|READY)=1')
[[ $(sed -n 1p <<<"$after") == *"|RELOADING=1|MONOTONIC_USEC="[0-9]* ]] || fail "SIGHUP: no RELOADING=1 with MONOTONIC_USEC first: $after"
[[ $(sed -n 2p <<<"$after") == *"|READY=1|STATUS="* ]] || fail "SIGHUP: no READY=1 after RELOADING=1: $after"
# MONOTONIC_USEC against the listener's own CLOCK_MONOTONIC when it got it (1 ms of slack:
# awk's doubles and the listener's print round, and the daemon reads its clock first).
read -r got usec < <(sed -n '1s/^\([0-9.]*\)|.*MONOTONIC_USEC=\([0-9]*\).*/\1 \2/p' <<<"$after")
awk -v g="$got" -v u="$usec" 'BEGIN { d = g - u / 1e6; exit !(u > 0 && d > -0.001 && d < 2) }' ||
  fail "MONOTONIC_USEC=$usec is not the monotonic time of the reload (received at $got s)"
grep -q "reload of $ETC/a.conf: 0 added, 0 removed, 0 changed, 1 unchanged" "$LOG" || fail "the reload was not logged"

# SIGTERM: STOPPING=1, last.
stop_pid "$PID" || fail "vnddvpnd did not stop on SIGTERM"
((STOP_RC == 0)) || fail "vnddvpnd exited with $STOP_RC"
[[ $(tail -n 1 "$NOTES") == *"|STOPPING=1" ]] || fail "no STOPPING=1 as the last message: $(tail -n 2 "$NOTES")"
! grep -q -E 'Sanitizer|runtime error:' "$LOG" || fail "a sanitizer report"
grep -q 'cannot notify systemd' "$LOG" && fail "sd_notify failed: $(grep 'cannot notify' "$LOG")"

((failures == 0)) || { echo "--- notifications"; cat "$NOTES"; echo "--- log"; cat "$LOG"; }
((failures == 0)) && echo "PASS: READY, STATUS, WATCHDOG, RELOADING/READY and STOPPING as systemd expects them"
exit $((failures > 0))
