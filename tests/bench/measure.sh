# One measurement each: results are appended, one number a line, to
# $RESULTS/PATH.METRIC so that the report can take medians. Every command is
# bounded by timeout; a measurement that yields no number stops the bench.
# Sourced by bench.sh after paths.sh.

RESULTS=$TVPN_TMP/results
mkdir -p "$RESULTS"
TCP_SECONDS=${TCP_SECONDS:-5}
UDP_SECONDS=${UDP_SECONDS:-3}
PINGS=${PINGS:-20}

# An empty value (a measure that could not be taken) is not recorded.
record() { [[ -z "$3" ]] || echo "$3" >>"$RESULTS/$1.$2"; }

# median [MIN]: the median of the numbers on stdin, one a line; fails with fewer than MIN (1).
median() {
  sort -g | awk -v min="${1:-1}" '{ v[NR] = $1 }
    END { if (NR < min || NR == 0) exit 1
          if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# round_order ROUND PATH...: the paths in the order round ROUND measures them,
# one per line: shuffled, a different order each round and the same for the
# same round on every run. In one fixed order a path always follows the same
# one (the -pwd baseline after the hub's UDP floods, say), and the path measured
# after a given one came out 5-10% worse in CPU per GB whichever build it was
# (an A/B by hand, 2026-12-04): a bias that no number of rounds averages out.
round_order() {
  local round=$1; shift
  printf '%s\n' "$@" | awk -v seed="$round" 'BEGIN { srand(seed) } { print rand() "\t" $0 }' |
    sort -k1,1g | cut -f2-
}

# start_iperf_server [NS]: an iperf3 server in NS (b).
start_iperf_server() {
  local ns=${1:-b}
  start_bg "$ns" "$TVPN_TMP/iperf3-server-$ns.log" iperf3 -s -p 5201
  wait_for 5 in_ns "$ns" sh -c "ss -Hltn 'sport = :5201' | grep -q ." || die "iperf3 server in $ns did not listen"
}
client_of() { echo "${PATH_CLIENT[$1]:-a}"; }
server_of() { echo "${PATH_SERVER[$1]:-b}"; }

# iperf PATH NAME ARGS...: one iperf3 client run from a to b's address on PATH,
# JSON in NAME.json. Its warnings (such as a UDP block larger than the control
# connection's MSS) go to NAME.err: in the JSON they would make it unreadable.
iperf() {
  local path=$1 name=$2; shift 2
  local out="$TVPN_TMP/$name.json"
  in_ns "$(client_of "$path")" timeout 40 iperf3 -c "${PATH_ADDR[$path]}" -p 5201 --connect-timeout 3000 -J "$@" \
    >"$out" 2>"$TVPN_TMP/$name.err" ||
    { cat "$out" "$TVPN_TMP/$name.err" >>"$TVPN_TMP/iperf3-client.log"; die "iperf3 $* across $path"; }
}

# proc_ticks PID: the CPU time (user + system, in clock ticks) the process used so far.
proc_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }

# machine_ticks: "busy total" clock ticks of all CPUs since boot.
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }

# cpu_begin PATH / cpu_end PATH: around a TCP a->b run, records how much of one
# core each side's tunnel daemon used (cpu_a, cpu_b, percent) and how busy the
# whole machine was (busy, percent of all cores): where the time goes. Also
# the CPU seconds per gigabyte delivered into b's interface: of both daemons
# together (cpu_s_per_gb) and of the whole machine (machine_s_per_gb, which
# covers a kernel tunnel and both iperf3 ends too).
cpu_begin() {
  local h pid
  CPU_T0=$(machine_ticks)
  CPU_RXB0=$(rx_bytes "$1")
  for h in a b; do
    pid=${DAEMON_PIDS["$1 $h"]:-}
    CPU_D0[$h]=$([[ -n "$pid" ]] && proc_ticks "$pid")
  done
}
cpu_end() {
  local h pid d1 t1 busy0 total0 busy1 total1 gb daemons both
  t1=$(machine_ticks)
  read -r busy0 total0 <<<"$CPU_T0"
  read -r busy1 total1 <<<"$t1"
  ((total1 > total0)) || return 0
  record "$1" busy "$(awk -v b=$((busy1 - busy0)) -v t=$((total1 - total0)) 'BEGIN { print 100 * b / t }')"
  gb=$(awk -v b=$(($(rx_bytes "$1") - CPU_RXB0)) 'BEGIN { print b / 1e9 }')
  record "$1" machine_s_per_gb "$(per_gb $((busy1 - busy0)) "$gb")"
  daemons=0 both=0
  for h in a b; do
    pid=${DAEMON_PIDS["$1 $h"]:-}
    [[ -n "$pid" && -n "${CPU_D0[$h]}" ]] || continue
    d1=$(proc_ticks "$pid") || continue
    # ticks of one core over the interval = all ticks / number of CPUs
    record "$1" "cpu_$h" "$(awk -v d=$((d1 - CPU_D0[$h])) -v t=$((total1 - total0)) -v n="$(nproc)" \
      'BEGIN { print 100 * d / (t / n) }')"
    daemons=$((daemons + d1 - CPU_D0[$h])) both=$((both + 1))
  done
  ((both == 2)) && record "$1" cpu_s_per_gb "$(per_gb "$daemons" "$gb")"
  return 0
}

# per_gb TICKS GB: CPU seconds (TICKS clock ticks) per gigabyte; nothing when GB is 0.
per_gb() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v gb="$2" 'BEGIN { if (gb > 0) print t / hz / gb }'; }

# rx_bytes PATH: bytes received so far by the interface PATH delivers into on b.
rx_bytes() { in_ns "$(server_of "$1")" cat "/sys/class/net/${PATH_IFB[$1]}/statistics/rx_bytes"; }
declare -A CPU_D0=()

# measure_tcp PATH fwd|rev: one TCP stream, a->b (fwd) or b->a (rev), Gbit/s at the receiver.
measure_tcp() {
  local path=$1 dir=$2 flags=() v
  [[ $dir == rev ]] && flags=(-R)
  [[ $dir == fwd ]] && cpu_begin "$path"
  iperf "$path" "tcp-$path-$dir" -t "$TCP_SECONDS" -O 1 "${flags[@]}"
  [[ $dir == fwd ]] && cpu_end "$path"
  v=$(jq -er '.end.sum_received.bits_per_second / 1e9' "$TVPN_TMP/tcp-$path-$dir.json") ||
    die "no TCP result for $path $dir"
  # Not a threshold: a path that answers ping but carries under 1 MiB of bulk data is broken.
  jq -e '.end.sum_received.bytes >= 1048576' "$TVPN_TMP/tcp-$path-$dir.json" >/dev/null ||
    die "TCP $dir across $path carried under 1 MiB: the path is broken"
  record "$path" "tcp_$dir" "$v"
}

# measure_udp PATH: 64-byte UDP payloads a->b as fast as iperf3 sends. Records
# thousands of packets per second that b's iperf3 received (sent minus lost),
# and that the path delivered into b's interface (its rx_packets counter):
# on 2 cores the receiving iperf3 can be the one that drops, not the tunnel.
measure_udp() {
  local path=$1 v rx0 rx1 stats
  stats=/sys/class/net/${PATH_IFB[$path]}/statistics/rx_packets
  rx0=$(in_ns "$(server_of "$path")" cat "$stats") || die "no rx counter for $path"
  iperf "$path" "udp-$path" -u -l 64 -b 0 -t "$UDP_SECONDS"
  rx1=$(in_ns "$(server_of "$path")" cat "$stats") || die "no rx counter for $path"
  v=$(jq -er '.end.sum_received | (.packets - .lost_packets) / .seconds / 1000' \
    "$TVPN_TMP/udp-$path.json") || die "no UDP result for $path"
  record "$path" udp_kpps "$v"
  v=$(jq -er --argjson rx $((rx1 - rx0)) '$rx / .end.sum_sent.seconds / 1000' \
    "$TVPN_TMP/udp-$path.json") || die "no UDP duration for $path"
  record "$path" udp_if_kpps "$v"
}

# measure_ping PATH: the median RTT (ms) of PINGS pings 50 ms apart, a->b.
measure_ping() {
  local path=$1 out="$TVPN_TMP/ping-$1.txt" v
  in_ns "$(client_of "$path")" timeout 20 ping -n -c "$PINGS" -i 0.05 -W 1 -w 15 "${PATH_ADDR[$path]}" >"$out" 2>&1
  v=$(grep -o 'time=[0-9.]*' "$out" | cut -d= -f2 | median 3) ||
    die "ping across $path: fewer than 3 replies"
  record "$path" rtt_ms "$v"
}

# rss_sampler PID LABEL: records the daemon's VmRSS (KiB) twice a second while it runs.
rss_sampler() {
  local pid=$1 label=$2
  (
    while kill -0 "$pid" 2>/dev/null; do
      awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null >>"$RESULTS/$label.rss_kib"
      sleep 0.5
    done
  ) &
  TVPN_PIDS+=("$!")
}

# peak_kib PID: the daemon's VmHWM (peak resident set, KiB) so far.
peak_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
