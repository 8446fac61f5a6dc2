#!/usr/bin/env bash
# Where vnddvpnd's lines go, and what -v adds. In a private mount namespace
# over a copy-on-write /dev (overlayfs: nothing reaches the host's /dev):
# -daemonize without /dev/log (a container) logs to the stderr it keeps;
# -daemonize with a syslog socket at /dev/log logs there, not to stderr.
# JOURNAL_STREAM naming stderr gives bare lines after sd-daemon priority
# prefixes, stderr that is not a terminal prefixed full lines. -v shows the
# handshake (started, complete) and an endpoint move (a restarted peer on
# another port), each line naming the interface and the peer.
set -u
TVPN_ID=logs$$
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"
P="log sinks amber lantern 29"

require_pwd
readme_topology || fail "topology"
ino=$(in_ns h1 stat -L -c %i /proc/self/ns/net)
pidfile=/run/vnddvpnd/vlan3@net$ino.pid
command -v unshare >/dev/null || fail "unshare (util-linux) is missing"

# daemonized_h1 NAME SETUP: vnddvpnd -daemonize on h1 (vlan3, -v) in a mount
# namespace of its own whose /dev is an overlay, after the shell commands
# SETUP ran there; its stderr (and the parent's) in $TVPN_TMP/NAME.err.
daemonized_h1() {
  local d=$TVPN_TMP/$1.dev
  mkdir -p "$d/up" "$d/work"
  in_ns h1 unshare --mount --propagation private sh -c "
    mount -t overlay overlay -o lowerdir=/dev,upperdir=$d/up,workdir=$d/work /dev || exit 1
    $2
    exec '$BUILD/vnddvpnd' -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd '$P' -name site-b -v -daemonize" \
    >"$TVPN_TMP/$1.err" 2>&1 || fail "$1: vnddvpnd -daemonize failed: $(cat "$TVPN_TMP/$1.err")"
  DPID[h1]=$(cat "$pidfile")
  TVPN_PIDS+=("${DPID[h1]}")
}
# stop_daemonized: SIGTERM to h1's daemon, waits until it is gone.
stop_daemonized() {
  kill "${DPID[h1]}"
  wait_for 5 bash -c "! kill -0 ${DPID[h1]} 2>/dev/null" || fail "h1's daemon ignored SIGTERM"
}

DLOG[h2]=$TVPN_TMP/h2.log
start_bg h2 "${DLOG[h2]}" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd "$P" -name site-b
DPID[h2]=$LAST_PID

# logged_to FILE LINE_START: the daemonized h1's lines after start-up (the
# handshake, the stop on SIGTERM) reach FILE, each after LINE_START; stops it.
logged_to() {
  wait_for 20 grep -q "$2vlan3 peer site-b: up: handshake complete" "$1" ||
    fail "the daemon's handshake line did not reach $1: $(cat "$1" 2>&1)"
  stop_daemonized
  wait_for 5 grep -q "$2stopping on Terminated" "$1" || fail "no line on SIGTERM in $1"
}

# --- -daemonize, no syslog socket: the log goes on to stderr.
daemonized_h1 nosyslog "rm -f /dev/log; test ! -e /dev/log || exit 1"
logged_to "$TVPN_TMP/nosyslog.err" "^vnddvpnd: [a-z]*: "
grep -q "^<" "$TVPN_TMP/nosyslog.err" && fail "-daemonize wrote sd-daemon prefixes: $(cat "$TVPN_TMP/nosyslog.err")"
echo "-daemonize without /dev/log: $(grep -c . "$TVPN_TMP/nosyslog.err") lines on stderr"

# --- -daemonize with a syslog socket: the log goes there, not to stderr.
listener="rm -f /dev/log
python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/dev/log\")
out = open(sys.argv[1], \"ab\", 0)
while True: out.write(s.recv(65536) + b\"\\n\")' '$TVPN_TMP/syslog.out' &
echo \$! >'$TVPN_TMP/listener.pid'
for i in \$(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done"
daemonized_h1 syslog "$listener"
TVPN_PIDS+=("$(cat "$TVPN_TMP/listener.pid")")
logged_to "$TVPN_TMP/syslog.out" "vnddvpnd\[${DPID[h1]}\]: "
grep -q "handshake\|stopping" "$TVPN_TMP/syslog.err" && fail "with syslog, lines went to stderr too: $(cat "$TVPN_TMP/syslog.err")"
echo "-daemonize with /dev/log: $(grep -c . "$TVPN_TMP/syslog.out") lines to syslog, none after start-up on stderr"

# --- The journal: JOURNAL_STREAM names stderr (as systemd sets it).
journal=$TVPN_TMP/journal.log
: >"$journal"
DLOG[h1]=$journal
start_bg h1 "$journal" env JOURNAL_STREAM="$(stat -c %d:%i "$journal")" \
  "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "$P" -name site-b
DPID[h1]=$LAST_PID
wait_for 20 grep -q "^<6>vlan3 peer site-b: up: handshake complete, session established$" "$journal" ||
  fail "no bare <6> line for the journal: $(cat "$journal")"
grep -q "^<4>-pwd KEY: other local users" "$journal" || fail "no <4> warning for the journal: $(cat "$journal")"
grep -q "^<6>tunnel vlan3 up: " "$journal" || fail "no <6> tunnel line for the journal"
grep -v -q "^<[0-7]>" "$journal" && fail "a line without a priority prefix: $(grep -v "^<[0-7]>" "$journal")"
stop_daemon h1
# ... and JOURNAL_STREAM left over from a parent whose stderr this is not:
# stderr is no terminal, so prefixed full lines.
other=$TVPN_TMP/other.log
DLOG[h1]=$other
start_bg h1 "$other" env JOURNAL_STREAM=1:1 \
  "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "$P" -name site-b
DPID[h1]=$LAST_PID
wait_for 20 grep -qs "^<6>vnddvpnd: info: vlan3 peer site-b: up: handshake complete" "$other" ||
  fail "no prefixed full line: $(cat "$other")"
stop_daemon h1
stop_daemon h2
echo "journal: bare lines after <N>; not a terminal: <N> and full lines"

# --- -v: a handshake and an endpoint move, every line naming IF and peer.
DAEMON_RUNS=0
start_daemon() {  # HOST LOG ARGS...: vnddvpnd -v for vlan3 (peer site-b)
  local host=$1; DLOG[$host]=$TVPN_TMP/$2; shift 2
  start_bg "$host" "${DLOG[$host]}" "$BUILD/vnddvpnd" -tunnel vlan3 "$@" -pwd "$P" -name site-b -v
  DPID[$host]=$LAST_PID
}
start_daemon h1 v-h1.log 198.51.100.1 33000 any 0
start_daemon h2 v-h2.log 198.51.100.2 33001 198.51.100.1 33000
wait_ping lan1 192.168.2.10 20 || fail "-v: no tunnel"
wait_for 5 grep -q "^<7>vnddvpnd: debug: vlan3 peer site-b: endpoint now 198.51.100.2:33001$" "${DLOG[h1]}" ||
  fail "-v: h1 did not log learning site-b's endpoint"
grep -q "^<7>vnddvpnd: debug: vlan3 peer site-b: handshake started$" "${DLOG[h2]}" || fail "-v: h2 did not log the handshake starting"
grep -q "^<6>vnddvpnd: info: vlan3 peer site-b: up: handshake complete" "${DLOG[h2]}" || fail "-v: h2 did not log the handshake completing"
stop_daemon h2
start_daemon h2 v-h2b.log 198.51.100.2 33002 198.51.100.1 33000
wait_ping lan1 192.168.2.10 20 || fail "-v: no tunnel after site-b moved"
wait_for 5 grep -q "^<7>vnddvpnd: debug: vlan3 peer site-b: endpoint now 198.51.100.2:33002 (was 198.51.100.2:33001)$" "${DLOG[h1]}" ||
  fail "-v: h1 did not log site-b's move: $(grep endpoint "${DLOG[h1]}")"
for h in h1 h2; do
  bad=$(grep "debug: " "${DLOG[$h]}" | grep -v "debug: vlan3 peer site-b: \|debug: vlan3: ")
  [[ -z $bad ]] || fail "$h: a -v line that names no interface and peer: $bad"
done
grep -h "debug: " "$TVPN_TMP"/v-*.log | sed 's/^/  /'
stop_daemon h1
stop_daemon h2
echo "ok: logs go to stderr, syslog or the journal as documented; -v names interface and peer"
