# Helpers for the -pwd (security) end-to-end tests, on top of netns.sh:
# skipping while -pwd is not implemented, daemons with their logs and status
# counters (SIGUSR1), underlay captures, and a relay host in the middle.
# Source netns.sh first.

declare -A DPID DLOG
DAEMON_RUNS=0

# fail REASON: shows the end of every daemon log (and the relay's counts),
# then the reason as the last line.
fail() {
  local f
  for f in "$TVPN_TMP"/*.log "$TVPN_TMP"/relay.out; do
    [[ -s "$f" ]] || continue
    echo "--- $(basename "$f") (last 12 lines)"
    tail -n 12 "$f" | sed 's/^/    /'
  done
  echo "FAIL: $*"
  exit 1
}

# probe_pwd [OPTION...]: true when vnddvpnd starts a tunnel with -pwd and the
# options; otherwise PROBE_ERR holds its first error line.
probe_pwd() {
  local log=$TVPN_TMP/probe.$#.out
  start_bg probe "$log" "$BUILD/vnddvpnd" -tunnel probe0 127.0.0.1 40000 127.0.0.1 40001 -pwd "probe Kx7-Wq2-Lm5" "$@" \
    -pidfile "$TVPN_TMP/probe.pid"
  local pid=$LAST_PID
  wait_for 20 sh -c "grep -qs 'probe0 up' '$log' || ! kill -0 $pid 2>/dev/null"
  if kill -0 "$pid" 2>/dev/null; then
    stop_pid "$pid"
    return 0
  fi
  PROBE_ERR=$(grep -m1 -v -e ': warning: ' -e '^$' "$log")  # the error, not -pwd's warning
  return 1
}

# require_pwd [OPTION...]: exits 77 (skipped) when vnddvpnd refuses -pwd, or
# one of the given options, as not implemented; fails on any other error.
# Probes in a namespace of its own with a real interface.
require_pwd() {
  make_host probe || fail "cannot create the probe namespace"
  in_ns probe "$BUILD/vnddconfig" add probe0 >/dev/null || fail "vnddconfig add failed in the probe namespace"
  if ! probe_pwd "$@"; then
    local opt
    opt=$(sed -n "s/.*unknown option '\(-[a-z]*\)'.*/\1/p" <<<"$PROBE_ERR")
    # An unknown option hides whether -pwd itself works: ask again without it.
    [[ -n "$opt" ]] && probe_pwd && { echo "SKIP: $opt not implemented yet"; exit 77; }
    if grep -q -- "unknown option '-pwd'" <<<"$PROBE_ERR"; then
      echo "SKIP: -pwd not implemented yet"
      exit 77
    fi
    fail "vnddvpnd with -pwd $* did not start: $PROBE_ERR"
  fi
  ip netns del "$(ns probe)"
}

# start_daemon HOST LOCAL_IP REMOTE_IP [OPTION...]: vnddvpnd on HOST with one
# tunnel for vlan3, port 33000 at both ends. Each run gets its own log.
start_daemon() {
  local host=$1 local_ip=$2 remote_ip=$3; shift 3
  DAEMON_RUNS=$((DAEMON_RUNS + 1))
  DLOG[$host]=$TVPN_TMP/$host.$DAEMON_RUNS.log
  start_bg "$host" "${DLOG[$host]}" "$BUILD/vnddvpnd" -tunnel vlan3 "$local_ip" 33000 "$remote_ip" 33000 "$@"
  DPID[$host]=$LAST_PID
}

# stop_daemon HOST: SIGTERM; fails the test if it does not exit cleanly or
# a sanitizer (make check SANITIZE=1) reported anything.
stop_daemon() {
  stop_pid "${DPID[$1]}" || fail "$1: vnddvpnd did not stop on SIGTERM"
  ((STOP_RC == 0)) || fail "$1: vnddvpnd exited with status $STOP_RC on SIGTERM"
  ! grep -q -E 'Sanitizer|runtime error:' "${DLOG[$1]}" || fail "$1: a sanitizer report in ${DLOG[$1]##*/}"
}

# alive HOST: fails the test if HOST's daemon is gone (a crash).
alive() {
  kill -0 "${DPID[$1]}" 2>/dev/null || fail "$1: vnddvpnd is gone (crashed?)"
}

# daemon_status HOST: asks for a status report (SIGUSR1) and puts it in STATUS.
daemon_status() {
  local log=${DLOG[$1]} before
  before=$(grep -c 'status:' "$log")  # reports so far (a report has a drops line per tunnel)
  kill -USR1 "${DPID[$1]}" 2>/dev/null || fail "$1: vnddvpnd is gone (crashed?)"
  wait_for 5 sh -c "[ \$(grep -c 'status:' '$log') -gt $before ]" || fail "$1: no status report on SIGUSR1"
  sleep 0.1  # the report is one log line; let it reach the file whole
  STATUS=$(awk -v n="$before" '/status:/ {seen++} seen > n' "$log")
  [[ -n "$STATUS" ]] || STATUS=$(tail -n 8 "$log")
}

# show_status HOST: checks HOST's daemon is alive, fetches STATUS and prints its drops line.
show_status() {
  alive "$1"
  daemon_status "$1"
  echo "$1: $(grep drops: <<<"$STATUS" | tail -n1)"
}

# transfer WHAT FROM TO TO_ADDR MBYTES [PORT]: tcp_transfer, failing the test with WHAT.
transfer() {
  local what=$1 out; shift
  out=$(tcp_transfer "$@") || fail "$what: $out"
  echo "$what: $out"
}

# counter NAME: a drop counter from STATUS ("auth", "replay", ...).
counter() {
  local v
  v=$(grep 'drops:' <<<"$STATUS" | tail -n1 | grep -o " $1=[0-9]*" | cut -d= -f2)
  echo "${v:-0}"
}

# frames in|out: frames the tunnel received from / sent to the peer, from STATUS.
frames() {
  local line
  line=$(grep ' out: .* frames' <<<"$STATUS" | tail -n1)
  if [[ $1 == out ]]; then sed -n 's/.*out: \([0-9]*\) frames.*/\1/p' <<<"$line"
  else sed -n 's/.*in: \([0-9]*\) frames.*/\1/p' <<<"$line"; fi
}

# drops_total: the sum of the drop counters in STATUS for what arrived from
# the peer: not queue-full, which counts frames from the host's own interface
# (a bulk stream's excess, before sealing), nothing a relay did.
drops_total() {
  grep 'drops:' <<<"$STATUS" | tail -n1 | grep -o '[a-z()-]*=[0-9]*' | grep -v '^queue-full=' |
    cut -d= -f2 | awk '{s += $1} END {print s + 0}'
}

# udp_in_errors HOST: UDP datagrams HOST's kernel dropped on receive (full
# socket buffers and the like), which no daemon counter can see.
udp_in_errors() {
  in_ns "$1" awk '/^Udp:/ {if (!h) {for (i = 2; i <= NF; i++) col[$i] = i; h = 1} else print $col["InErrors"]}' /proc/net/snmp
}

# capture_start HOST IF FILE: records every UDP datagram on HOST's IF into FILE
# (pcap). The interface sends no GSO trains, so what leaves it is captured as
# the datagrams on the wire (what arrives may still be coalesced).
capture_start() {
  ip -n "$(ns "$1")" link set dev "$2" gso_max_segs 1 || fail "cannot turn GSO off on $1 $2"
  # A 32 MiB ring (-B): with the default 2 MiB a busy machine drops packets
  # from the capture, and the checks count what it holds.
  ip netns exec "$(ns "$1")" tcpdump -i "$2" -n -U --immediate-mode -s 0 -B 32768 -w - udp >"$3" 2>"$3.err" </dev/null &
  TVPN_PIDS+=("$!")
  CAP_PID=$!
  wait_for 10 grep -qs 'listening on' "$3.err" || fail "tcpdump did not start: $(cat "$3.err")"
}

# capture_stop: stops the last capture and lets it flush.
capture_stop() {
  sleep 0.3
  stop_pid "$CAP_PID"
}

# capture_drops FILE: tcpdump's own count of packets it lost for capture FILE
# (after capture_stop), to tell a lossy capture from a tunnel that sent too little.
capture_drops() { grep -oE '^[0-9]+ packets dropped by kernel$' "$1.err" | cut -d' ' -f1 | grep .; }

# capture_lengths FILE [FILTER]: the UDP payload length of each captured
# datagram (that matches the tcpdump FILTER), one a line.
capture_lengths() {
  tcpdump -r "$1" -n ${2:+"$2"} 2>/dev/null | sed -n 's/.*UDP, length \([0-9]*\).*/\1/p'
}

# relay_topology: the README topology, but the underlay goes through a host
# "mid" that does not forward: h1 (198.51.100.1) - mid (198.51.100.254 |
# 203.0.113.254) - h2 (203.0.113.2). Each end's tunnel points at mid, where a
# udp_relay passes datagrams on (start_relay).
relay_topology() {
  readme_topology || return 1
  make_host mid || return 1
  ip -n "$(ns h1)" link del wan0 || return 1
  link h1 wan0 198.51.100.1/24 mid wan1 198.51.100.254/24 || return 1
  link mid wan2 203.0.113.254/24 h2 wan0 203.0.113.2/24 || return 1
}

# start_relay [OPTION...]: udp_relay on mid between h1 (side a) and h2 (side b).
start_relay() {
  RELAY_LOG=$TVPN_TMP/relay.out
  start_bg mid "$RELAY_LOG" "$BUILD/tools/udp_relay" -a 198.51.100.254:33000 198.51.100.1:33000 \
    -b 203.0.113.254:33000 203.0.113.2:33000 "$@"
  RELAY_PID=$LAST_PID
  wait_for 5 grep -qs 'ready' "$RELAY_LOG" || fail "udp_relay did not start: $(cat "$RELAY_LOG")"
}

# stop_relay: stops the relay; its final counts stay in RELAY_LOG.
stop_relay() {
  stop_pid "$RELAY_PID" || fail "udp_relay did not stop on SIGTERM"
  ((STOP_RC == 0)) || fail "udp_relay exited with status $STOP_RC"
}

# relay_count DIRECTION NAME: a count from the relay's final report (a->b is h1 to h2).
relay_count() {
  local v
  v=$(grep "udp_relay $1:" "$RELAY_LOG" | tail -n1 | grep -o " $2=[0-9]*" | cut -d= -f2)
  echo "${v:-0}"
}
