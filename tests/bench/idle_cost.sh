# Idle cost: one daemon on a with IDLE_TUNNELS -pwd tunnels to one daemon on
# b, every session established, then nothing to carry: the CPU each daemon
# uses and how often it wakes up is what its timers cost. Sourced by
# bench.sh after measure.sh (proc_ticks, record).
# Environment: IDLE_TUNNELS (64), IDLE_SAMPLES (5) of IDLE_SECONDS (6) each.

IDLE_TUNNELS=${IDLE_TUNNELS:-64}
IDLE_SAMPLES=${IDLE_SAMPLES:-5}
IDLE_SECONDS=${IDLE_SECONDS:-6}

# wakeups PID: voluntary plus involuntary context switches of every thread of PID so far.
wakeups() {
  cat /proc/"$1"/task/*/status 2>/dev/null |
    awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

# idle_sample PID_A PID_B: one window of IDLE_SECONDS: records each daemon's
# CPU (cpu_a, cpu_b: percent of one core) and wake-ups a second (wakeups_a, wakeups_b).
idle_sample() {
  local pids=("$@") t0 t1 w0=() d0=() i h hz
  hz=$(getconf CLK_TCK)
  t0=$(date +%s.%N)
  for i in 0 1; do d0[i]=$(proc_ticks "${pids[i]}"); w0[i]=$(wakeups "${pids[i]}"); done
  sleep "$IDLE_SECONDS"
  t1=$(date +%s.%N)
  for i in 0 1; do
    kill -0 "${pids[i]}" 2>/dev/null || die "an idle daemon died"
    h=$([[ $i == 0 ]] && echo a || echo b)
    record idle "cpu_$h" "$(awk -v d=$(($(proc_ticks "${pids[i]}") - d0[i])) -v hz="$hz" -v t0="$t0" -v t1="$t1" \
      'BEGIN { print 100 * (d / hz) / (t1 - t0) }')"
    record idle "wakeups_$h" "$(awk -v w=$(($(wakeups "${pids[i]}") - w0[i])) -v t0="$t0" -v t1="$t1" \
      'BEGIN { print w / (t1 - t0) }')"
  done
}

# measure_idle: IDLE_TUNNELS tunnels up and idle, then IDLE_SAMPLES windows
# (idle_sample), recorded under the path name "idle".
measure_idle() {
  local h i=1 n args pw pids=()
  pw=$(bench_password)
  for h in a b; do
    for ((n = 0; n < IDLE_TUNNELS; n++)); do
      in_ns "$h" "$BUILD/vnddconfig" add "tvi$n" >>"$TVPN_TMP/idle-config-$h.log" 2>&1 || die "vnddconfig add tvi$n in $h"
      in_ns "$h" ip addr add "192.168.$((100 + n)).$i/24" dev "tvi$n" && in_ns "$h" ip link set "tvi$n" up ||
        die "cannot address tvi$n in $h"
    done
    i=$((i + 1))
  done
  i=1
  for h in a b; do
    args=()
    for ((n = 0; n < IDLE_TUNNELS; n++)); do
      args+=(-tunnel "tvi$n" "198.51.100.$i" $((34000 + n)) "198.51.100.$((3 - i))" $((34000 + n)) -pwd "$pw-$n")
    done
    start_bg "$h" "$TVPN_TMP/idle-$h.log" "$BUILD/vnddvpnd" "${args[@]}"
    pids+=("$LAST_PID")
    i=$((i + 1))
  done
  for ((n = 0; n < IDLE_TUNNELS; n++)); do
    wait_ping a "192.168.$((100 + n)).2" 60 || die "idle tunnel $n does not carry a ping"
  done
  sleep 2 # the last handshakes' confirmations and the pings' ARP done
  for ((n = 0; n < IDLE_SAMPLES; n++)); do idle_sample "${pids[@]}"; done
  for i in 0 1; do stop_pid "${pids[i]}"; done
}
