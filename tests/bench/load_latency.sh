# Latency under load: pings across a path while one TCP stream fills it in
# the same direction, so that every queue on the way (the sender's socket,
# the tunnel interface's, the daemon's, the underlay's) is as full as bulk
# traffic makes it. An L2 tunnel that adds its own deep queue shows here as
# bufferbloat. Sourced by bench.sh after measure.sh.
# Environment: LOAD_SECONDS (6) of pings, 100 a second.

LOAD_SECONDS=${LOAD_SECONDS:-6}

# percentile P: the P-th percentile (nearest rank) of the numbers on stdin.
percentile() {
  sort -g | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) exit 1
    r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; print v[r] }'
}

# measure_load_rtt PATH: records load_rtt_p50 and load_rtt_p99 (ms) and
# load_ping_loss (percent of pings unanswered) while iperf3 sends a->b.
measure_load_rtt() {
  local path=$1 out="$TVPN_TMP/load-ping-$1.txt" iperf_pid n rtts
  n=$((LOAD_SECONDS * 100))
  in_ns "$(client_of "$path")" timeout $((LOAD_SECONDS + 20)) iperf3 -c "${PATH_ADDR[$path]}" -p 5201 \
    --connect-timeout 3000 -t $((LOAD_SECONDS + 2)) >"$TVPN_TMP/load-iperf-$path.log" 2>&1 &
  iperf_pid=$!
  sleep 1 # the stream past slow start, its queues filled
  in_ns "$(client_of "$path")" timeout $((LOAD_SECONDS + 10)) ping -n -c "$n" -i 0.01 -W 1 \
    "${PATH_ADDR[$path]}" >"$out" 2>&1
  wait "$iperf_pid" || die "the loading TCP stream across $path failed (see load-iperf-$path.log)"
  rtts=$(grep -o 'time=[0-9.]*' "$out" | cut -d= -f2)
  [[ $(wc -l <<<"$rtts") -ge 10 ]] || die "pings under load across $path: fewer than 10 replies"
  record "$path" load_rtt_p50 "$(percentile 50 <<<"$rtts")"
  record "$path" load_rtt_p99 "$(percentile 99 <<<"$rtts")"
  record "$path" load_ping_loss "$(awk -v got="$(wc -l <<<"$rtts")" -v n="$n" 'BEGIN { print 100 * (n - got) / n }')"
}
