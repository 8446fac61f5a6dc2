# The report's tables for issue 14 (against the kernel's own tunnel): the
# loss-bounded frame rates, latency under load, CPU per gigabyte, the idle
# cost, and the targets met or missed. Sourced by report.sh (med, fmt,
# ratio, verdict, max_of, min_of, added_rtt).

# CPU seconds of both -pwd daemons per gigabyte carried before issue 14's
# work, when the run could not measure BASE_REV itself (paths.sh): make bench
# at b79784d on another day (4.08 Gbit/s a->b with the daemons at 60% and 57%
# of a core = 2.29 s/GB). The goal is 30% less.
BASELINE_CPU_S_PER_GB=${BASELINE_CPU_S_PER_GB:-2.29}

# cpu_baseline: "SECONDS WHERE-FROM", BASE_REV measured in this run if it was.
cpu_baseline() {
  local b; b=$(med tvpn_pwd_base cpu_s_per_gb)
  if [[ -n "$b" ]]; then echo "$b $BASE_REV in this run"; else echo "$BASELINE_CPU_S_PER_GB b79784d on another day"; fi
}

# frac A B: A / B with two decimals, nothing when either is missing or B is 0.
frac() { [[ -n "$1" && -n "$2" ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; }

# load_added PATH PCT: the path's RTT under load at percentile PCT minus raw veth's idle median, ms.
load_added() {
  local r t; r=$(med raw rtt_ms); t=$(med "$1" "load_rtt_p$2")
  [[ -n "$r" && -n "$t" ]] && awk -v t="$t" -v r="$r" 'BEGIN { print t - r }'
}

rate_table() {
  local p s row
  printf '| path |'; for s in "${RATE_SIZES[@]}"; do printf ' %s B kpps |' "$s"; done; echo
  printf '|---|'; for s in "${RATE_SIZES[@]}"; do printf -- '---|'; done; echo
  for p in "${RATE_PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" ]] && continue
    row="| ${PATH_LABEL[$p]} |"
    for s in "${RATE_SIZES[@]}"; do row+=" $(fmt %.0f "$(med "$p" "rate_$s")") |"; done
    echo "$row"
  done
}

load_table() {
  local p
  echo "| path | idle RTT ms | under load: median ms | 99th percentile ms | added at the median | added at the 99th | pings lost |"
  echo "|---|---|---|---|---|---|---|"
  for p in "${PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" || ! -s "$RESULTS/$p.load_rtt_p50" ]] && continue
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${PATH_LABEL[$p]}" "$(fmt %.3f "$(med "$p" rtt_ms)")" \
      "$(fmt %.3f "$(med "$p" load_rtt_p50)")" "$(fmt %.3f "$(med "$p" load_rtt_p99)")" \
      "$(fmt %.3f "$(load_added "$p" 50)")" "$(fmt %.3f "$(load_added "$p" 99)")" \
      "$(fmt '%.1f %%' "$(med "$p" load_ping_loss)")"
  done
}

cpu_gb_table() {
  local p
  echo "| path, TCP a->b | both tunnel daemons, CPU s per GB | whole machine, CPU s per GB |"
  echo "|---|---|---|"
  for p in "${PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" || ! -s "$RESULTS/$p.machine_s_per_gb" ]] && continue
    printf '| %s | %s | %s |\n' "${PATH_LABEL[$p]}" \
      "$(if [[ -s "$RESULTS/$p.cpu_s_per_gb" ]]; then fmt %.2f "$(med "$p" cpu_s_per_gb)"; else echo 'in the kernel'; fi)" \
      "$(fmt %.2f "$(med "$p" machine_s_per_gb)")"
  done
}

idle_line() {
  [[ -s "$RESULTS/idle.cpu_a" ]] || return 0
  printf -- '- %s idle -pwd tunnels in one daemon: %s%% and %s%% of a core (a, b), %s and %s wake-ups a second\n' \
    "$IDLE_TUNNELS" "$(fmt %.2f "$(med idle cpu_a)")" "$(fmt %.2f "$(med idle cpu_b)")" \
    "$(fmt %.0f "$(med idle wakeups_a)")" "$(fmt %.0f "$(med idle wakeups_b)")"
}

# limits_targets_table: issue 14's targets for TVPN -pwd (clear where named), from this run's medians.
limits_targets_table() {
  local t=tvpn_pwd d dir r s peer v rss idle
  [[ -n "${PATH_NOTE[$t]:-}${PATH_NOTE[vxlan]:-}" ]] && return 0
  echo "| target (issue 14) | goal | measured | verdict |"
  echo "|---|---|---|---|"
  for d in fwd rev; do
    dir=$([[ $d == fwd ]] && echo 'a->b' || echo 'b->a')
    r=$(frac "$(med $t "tcp_$d")" "$(med vxlan "tcp_$d")")
    echo "| TCP $dir, -pwd / kernel VXLAN | >= 0.5 | $(fmt %s "$r") | $(verdict "$r" '>=' 0.5) |"
    r=$(frac "$(med tvpn "tcp_$d")" "$(med vxlan "tcp_$d")")
    echo "| TCP $dir, clear / kernel VXLAN | >= 0.8 | $(fmt %s "$r") | $(verdict "$r" '>=' 0.8) |"
  done
  for s in "${RATE_SIZES[@]}"; do
    peer=$(best_peer "rate_$s")
    r=$(frac "$(med $t "rate_$s")" "$peer")
    echo "| $s B UDP at <= ${RATE_LOSS}% loss, -pwd / best peer | >= 2x | $(fmt %sx "$r") | $(verdict "$r" '>=' 2) |"
    r=$(frac "$(med $t "rate_$s")" "$(med vxlan "rate_$s")")
    echo "| $s B UDP at <= ${RATE_LOSS}% loss, -pwd / kernel VXLAN | >= 0.5 | $(fmt %s "$r") | $(verdict "$r" '>=' 0.5) |"
  done
  peer=$(lowest_peer_rtt)
  v=$(added_rtt $t)
  echo "| added RTT idle, ms / the lowest peer's | <= $(fmt %.3f "$peer") | $(fmt %.3f "$v") | $(verdict "$v" '<=' "$peer") |"
  v=$(load_added $t 50)
  echo "| added RTT under one TCP stream, median | < 1 ms | $(fmt '%.3f ms' "$v") | $(verdict "$v" '<=' 1) |"
  v=$(load_added $t 99)
  echo "| added RTT under one TCP stream, 99th percentile | < 5 ms | $(fmt '%.3f ms' "$v") | $(verdict "$v" '<=' 5) |"
  v=$(med $t cpu_s_per_gb)
  read -r base src <<<"$(cpu_baseline)"
  r=$(awk -v b="$base" 'BEGIN { printf "%.2f", 0.7 * b }')
  echo "| both daemons' CPU per GB, TCP a->b | <= $r s (0.7 of $(fmt %.2f "$base") s, $src) | $(fmt '%.2f s' "$v") | $(verdict "$v" '<=' "$r") |"
  idle=$(max_of "$(med idle cpu_a)" "$(med idle cpu_b)")
  echo "| $IDLE_TUNNELS idle -pwd tunnels, one daemon | < 1% of a core | $(fmt '%.2f %%' "$idle") | $(verdict "$idle" '<=' 1) |"
  rss=$(cat "$RESULTS"/$t-[ab].rss_kib 2>/dev/null | sort -g | tail -n1 | awk '{ print $1 / 1024 }')
  echo "| VmRSS of one tunnel under load, max of both ends | < 16 MiB | $(fmt '%.1f MiB' "$rss") | $(verdict "$rss" '<=' 16) |"
}
