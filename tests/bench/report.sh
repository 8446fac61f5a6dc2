# Medians, TVPN's ratios to its peers, and the Markdown report. Sourced by
# bench.sh after measure.sh. Reads $RESULTS/PATH.METRIC files.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/bench_doc.sh"
. "$(dirname "${BASH_SOURCE[0]}")/report_limits.sh"

METRICS=(tcp_fwd tcp_rev rtt_ms udp_kpps udp_if_kpps busy cpu_a cpu_b load_rtt_p50 load_rtt_p99 load_ping_loss
  cpu_s_per_gb machine_s_per_gb rate_64 rate_512 rate_1400)

# med PATH METRIC: the median of the repeated runs, or empty.
med() { [[ -s "$RESULTS/$1.$2" ]] && median <"$RESULTS/$1.$2"; }

# fmt FORMAT VALUE: printf a number, or a dash when there is none.
fmt() { if [[ -n "$2" ]]; then printf "$1" "$2"; else printf -- '-'; fi; }

# added_rtt PATH: the path's median RTT minus raw veth's, in ms.
added_rtt() {
  local r t; r=$(med raw rtt_ms); t=$(med "$1" rtt_ms)
  [[ -n "$r" && -n "$t" ]] && awk -v t="$t" -v r="$r" 'BEGIN { print t - r }'
}

# ratio A B: A / B as "N.NNx", a dash when either is missing or B is not positive.
ratio() {
  [[ -n "$1" && -n "$2" ]] || { printf -- '-'; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) printf "-"; else printf "%.2fx", a / b }'
}

results_table() {
  local p
  echo "| path | inner MTU | TCP a->b Gbit/s | TCP b->a Gbit/s | ping RTT ms | added RTT ms | UDP 64 B kpps received | UDP 64 B kpps into b's interface |"
  echo "|---|---|---|---|---|---|---|---|"
  for p in "${PATHS[@]}"; do
    if [[ -n "${PATH_NOTE[$p]:-}" ]]; then
      echo "| ${PATH_LABEL[$p]} | ${PATH_NOTE[$p]} | | | | | | |"; continue
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${PATH_LABEL[$p]}" "${PATH_MTU[$p]:--}" \
      "$(fmt %.2f "$(med "$p" tcp_fwd)")" "$(fmt %.2f "$(med "$p" tcp_rev)")" \
      "$(fmt %.3f "$(med "$p" rtt_ms)")" "$(fmt %.3f "$(added_rtt "$p")")" \
      "$(fmt %.0f "$(med "$p" udp_kpps)")" "$(fmt %.0f "$(med "$p" udp_if_kpps)")"
  done
}

# Throughput and frame rate: TVPN / peer (above 1 is better). Added RTT:
# TVPN / peer (below 1 is better).
ratio_table() {
  local t p
  echo "| TVPN vs peer | TCP a->b | TCP b->a | added RTT (lower is better) | UDP 64 B pps received | UDP 64 B pps into b's interface |"
  echo "|---|---|---|---|---|---|"
  for t in tvpn tvpn_pwd; do
    for p in "${PEER_PATHS[@]}"; do
      if [[ -n "${PATH_NOTE[$t]:-}${PATH_NOTE[$p]:-}" ]]; then
        echo "| ${PATH_LABEL[$t]} / ${PATH_LABEL[$p]} | ${PATH_NOTE[$t]:-${PATH_NOTE[$p]}} | | | | |"
        continue
      fi
      printf '| %s / %s | %s | %s | %s | %s | %s |\n' "${PATH_LABEL[$t]}" "${PATH_LABEL[$p]}" \
        "$(ratio "$(med "$t" tcp_fwd)" "$(med "$p" tcp_fwd)")" \
        "$(ratio "$(med "$t" tcp_rev)" "$(med "$p" tcp_rev)")" \
        "$(ratio "$(added_rtt "$t")" "$(added_rtt "$p")")" \
        "$(ratio "$(med "$t" udp_kpps)" "$(med "$p" udp_kpps)")" \
        "$(ratio "$(med "$t" udp_if_kpps)" "$(med "$p" udp_if_kpps)")"
    done
  done
}

# cpu_table: where the CPU went during TCP a->b: each side's tunnel daemon
# (percent of one core) and the whole machine (percent of all its cores).
cpu_table() {
  local p
  echo "| path, during TCP a->b | daemon on a, % of a core | daemon on b, % of a core | machine busy, % of all cores |"
  echo "|---|---|---|---|"
  for p in "${PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" || ! -s "$RESULTS/$p.busy" ]] && continue
    printf '| %s | %s | %s | %s |\n' "${PATH_LABEL[$p]}" "$(fmt %.0f "$(med "$p" cpu_a)")" \
      "$(fmt %.0f "$(med "$p" cpu_b)")" "$(fmt %.0f "$(med "$p" busy)")"
  done
}

# max_of A B / min_of A B: the larger / smaller of two numbers (empty if either is).
max_of() { [[ -n "$1" && -n "$2" ]] && awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
min_of() { [[ -n "$1" && -n "$2" ]] && awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

# peers_reduce FUNC VALUE-COMMAND...: FUNC (max_of or min_of) over VALUE-COMMAND PEER
# for each measured peer in PEER_PATHS; peers without a value are left out.
peers_reduce() {
  local f=$1 p v acc=; shift
  for p in "${PEER_PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" ]] && continue
    v=$("$@" "$p") || v=
    [[ -z "$v" ]] && continue
    if [[ -z "$acc" ]]; then acc=$v; else acc=$("$f" "$acc" "$v"); fi
  done
  echo "$acc"
}
med_of() { med "$2" "$1"; }
# best_peer METRIC: the largest median of METRIC among the peers.
best_peer() { peers_reduce max_of med_of "$1"; }
# lowest_peer_rtt: the smallest added RTT among the peers.
lowest_peer_rtt() { peers_reduce min_of added_rtt; }

# verdict VALUE OP GOAL: "met" or "missed" (OP is >= or <=), a dash without a value.
verdict() {
  [[ -n "$1" && -n "$3" ]] || { printf -- '-'; return; }
  awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= g : v <= g; printf ok ? "met" : "missed" }'
}

# targets_table: issue 5's targets for TVPN -pwd, against the best peer
# (the lowest for RTT), from this run's medians.
targets_table() {
  local t=tvpn_pwd fwd rev tcp peer_tcp raw_tcp rtt peer_rtt udp peer_udp udp_if peer_udp_if rss f
  [[ -n "${PATH_NOTE[$t]:-}" ]] && return 0
  fwd=$(min_of "$(med $t tcp_fwd)" "$(med $t tcp_rev)")
  peer_tcp=$(max_of "$(best_peer tcp_fwd)" "$(best_peer tcp_rev)")
  raw_tcp=$(min_of "$(med raw tcp_fwd)" "$(med raw tcp_rev)")
  tcp=$([[ -n "$fwd" && -n "$peer_tcp" ]] && awk -v a="$fwd" -v b="$peer_tcp" 'BEGIN { print a / b }')
  rtt=$(added_rtt $t)
  peer_rtt=$(lowest_peer_rtt)
  peer_udp=$(best_peer udp_kpps)
  udp=$([[ -n "$peer_udp" ]] && awk -v a="$(med $t udp_kpps)" -v b="$peer_udp" 'BEGIN { print a / b }')
  peer_udp_if=$(best_peer udp_if_kpps)
  udp_if=$([[ -n "$peer_udp_if" ]] && awk -v a="$(med $t udp_if_kpps)" -v b="$peer_udp_if" 'BEGIN { print a / b }')
  rss=$(cat "$RESULTS"/$t-[ab].rss_kib 2>/dev/null | sort -g | tail -n1 | awk '{ print $1 / 1024 }')
  echo "| target (TVPN -pwd) | goal | measured | verdict |"
  echo "|---|---|---|---|"
  echo "| TCP, slower direction / best peer's faster direction | >= 3x | $(fmt %.2fx "$tcp") | $(verdict "$tcp" '>=' 3) |"
  echo "| TCP, slower direction / raw veth's | aim 0.25 | $([[ -n "$fwd" && -n "$raw_tcp" ]] && awk -v a="$fwd" -v b="$raw_tcp" 'BEGIN { printf "%.2f", a / b }') | $(verdict "$([[ -n "$fwd" && -n "$raw_tcp" ]] && awk -v a="$fwd" -v b="$raw_tcp" 'BEGIN { print a / b }')" '>=' 0.25) |"
  echo "| added RTT, ms / the lowest peer's | <= $(fmt %.3f "$peer_rtt") | $(fmt %.3f "$rtt") | $(verdict "$rtt" '<=' "$peer_rtt") |"
  echo "| 64 B UDP received by iperf3 / best peer's | >= 2x | $(fmt %.2fx "$udp") | $(verdict "$udp" '>=' 2) |"
  echo "| 64 B UDP into b's interface / best peer's | >= 2x | $(fmt %.2fx "$udp_if") | $(verdict "$udp_if" '>=' 2) |"
  echo "| vnddvpnd VmRSS under load, max of both ends | < 16 MiB | $(fmt '%.1f MiB' "$rss") | $(verdict "$rss" '<=' 16) |"
}

# hub_lines: the hub path next to the direct one, the hub daemon's memory
# under load and what each peer adds to it.
hub_lines() {
  local f=$RESULTS/tvpn_hub-hub.rss_kib r1 r64
  [[ -s "$RESULTS/tvpn_hub.tcp_fwd" ]] || return 0
  printf -- '- spoke -> hub -> spoke TCP a->b %s Gbit/s, b->a %s Gbit/s: %s and %s of the direct -pwd tunnel\n' \
    "$(fmt %.2f "$(med tvpn_hub tcp_fwd)")" "$(fmt %.2f "$(med tvpn_hub tcp_rev)")" \
    "$(ratio "$(med tvpn_hub tcp_fwd)" "$(med tvpn_pwd tcp_fwd)")" "$(ratio "$(med tvpn_hub tcp_rev)" "$(med tvpn_pwd tcp_rev)")"
  [[ -s "$f" ]] && printf -- '- the hub'"'"'s vnddvpnd (2 peers) under load: VmRSS max %s MiB\n' \
    "$(fmt %.1f "$(sort -g "$f" | tail -n1 | awk '{ print $1 / 1024 }')")"
  r1=$(med tvpn_hub rss1_kib) r64=$(med tvpn_hub rss64_kib)
  [[ -n "$r1" && -n "$r64" ]] && printf -- '- a hub with 1 and with 64 idle `any` peers: VmRSS %s and %s MiB, %s KiB per added peer\n' \
    "$(fmt %.1f "$(awk -v v="$r1" 'BEGIN { print v / 1024 }')")" "$(fmt %.1f "$(awk -v v="$r64" 'BEGIN { print v / 1024 }')")" \
    "$(awk -v a="$r1" -v b="$r64" 'BEGIN { printf "%.0f", (b - a) / 63 }')"
  return 0
}

# full_size_table: issue 12's measures: full-size -pwd frames (MTU 1500)
# against the MTU 1400 of before, in the same run (within 10%), the bridged
# LANs' TCP throughput and the share of their frames cut into fragments.
full_size_table() {
  local d r out frag share
  echo "| full-size frames (issue 12) | goal | measured | verdict |"
  echo "|---|---|---|---|"
  for d in fwd rev; do
    r=$(med tvpn_pwd "tcp_$d" | awk -v b="$(med tvpn_pwd1400 "tcp_$d")" '{ if (b > 0) print $1 / b }')
    printf '| TCP %s, -pwd at MTU 1500 / -pwd at MTU 1400 | >= 0.90 | %s | %s |\n' \
      "$([[ $d == fwd ]] && echo 'a->b' || echo 'b->a')" "$(fmt %.2f "$r")" "$(verdict "$r" '>=' 0.90)"
  done
  printf '| TCP between bridged LAN hosts (MTU 1500), a->b / b->a | - | %s / %s Gbit/s | - |\n' \
    "$(fmt %.2f "$(med tvpn_bridged tcp_fwd)")" "$(fmt %.2f "$(med tvpn_bridged tcp_rev)")"
  out=$(med tvpn_bridged frames_out) frag=$(med tvpn_bridged frames_fragmented)
  share=$([[ -n "$out" && -n "$frag" ]] && awk -v o="$out" -v f="$frag" 'BEGIN { if (o > 0) print 100 * f / o }')
  printf '| bridged path: frames cut into fragments, of all a sent | - | %s (%s of %s) | - |\n' \
    "$(fmt '%.3f %%' "$share")" "${frag:--}" "${out:--}"
}

# memory_lines: vnddvpnd's resident size while the benchmark ran, per TVPN path and side.
memory_lines() {
  local t h f
  for t in "${TVPN_PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$t]:-}" ]] && continue
    for h in a b; do
      f="$RESULTS/$t-$h.rss_kib"
      printf -- '- %s, vnddvpnd on %s: VmRSS under load max %s MiB (median of samples %s MiB), VmHWM %s MiB\n' \
        "${PATH_LABEL[$t]}" "$h" \
        "$(fmt %.1f "$(sort -g "$f" | tail -n1 | awk '{ print $1 / 1024 }')")" \
        "$(fmt %.1f "$(median <"$f" | awk '{ print $1 / 1024 }')")" \
        "$(fmt %.1f "$(awk '{ print $1 / 1024 }' "$RESULTS/$t-$h.hwm_kib")")"
    done
  done
}

# raw_runs: every run's number, to show the spread behind each median.
raw_runs() {
  local p m
  for p in "${PATHS[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" ]] && continue
    for m in "${METRICS[@]}"; do
      [[ -s "$RESULTS/$p.$m" ]] || continue
      printf -- '- %s %s: %s\n' "${PATH_LABEL[$p]}" "$m" \
        "$(awk '{ printf "%s%.3g", (NR > 1 ? ", " : ""), $1 }' "$RESULTS/$p.$m")"
    done
  done
}

machine_line() {
  printf '%s; %s cores, %s; kernel %s' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" \
    "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(uname -r)"
}

# load_line: the 1-minute load average at the start and the end, to judge how noisy the run was.
load_line() { printf 'load average %s at the start, %s at the end' "$LOAD_START" "$(cut -d' ' -f1 /proc/loadavg)"; }

# versions_line: call before the report is written, or --dirty sees the report itself.
versions_line() {
  printf 'TVPN %s; %s; wireguard-go %s; tinc %s; fastd %s; n2n %s; %s' \
    "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" \
    "$(openvpn --version 2>/dev/null | awk 'NR == 1 { print $1, $2 }')" \
    "$(dpkg-query -W -f='${Version}' wireguard-go 2>/dev/null)" \
    "$(dpkg-query -W -f='${Version}' tinc 2>/dev/null)" \
    "$(dpkg-query -W -f='${Version}' fastd 2>/dev/null)" \
    "$(dpkg-query -W -f='${Version}' n2n 2>/dev/null)" \
    "$(iperf3 --version 2>/dev/null | awk 'NR == 1 { print $1, $2 }')"
}

# write_report FILE: the host benchmark's section of the Markdown document
# (the table is also printed by bench.sh); the rest of FILE, such as the
# section of make bench VM=1, stays as it is.
write_report() {
  {
    echo "## TVPN, the kernel's VXLAN and the peer VPNs between two namespaces (make bench)"
    echo
    echo "Written by \`make bench\` (tests/bench/bench.sh); this section keeps the latest run."
    echo "Two network namespaces a and b joined by one veth (underlay 198.51.100.0/24,"
    echo "MTU 1500); each tunnel runs between them with its own defaults (the bridged"
    echo "path between a LAN host behind a bridge on each, the hub path through a third"
    echo "namespace joined to both by veths of its own). Medians of"
    echo "$REPS runs each, the paths taken in turn within each round, in another order"
    echo "each round. TCP: iperf3, one stream, ${TCP_SECONDS} s after 1 s omitted, throughput"
    echo "at the receiver. RTT: median of"
    echo "$PINGS pings 50 ms apart, a->b; added RTT is the path's minus raw veth's. UDP:"
    echo "iperf3 -u -l 64 -b 0 for ${UDP_SECONDS} s, a->b: packets per second received by"
    echo "iperf3 on b, and packets per second the path delivered into b's interface"
    echo "(its rx_packets counter): with iperf3 flooding one of the 2 cores, the"
    echo "receiving iperf3 often drops what the tunnel did deliver."
    echo
    echo "- When: $(machine_line)"
    echo "- Load: $(load_line) (other work on the machine shares its 2 cores)"
    echo "- Versions: $VERSIONS"
    echo
    results_table
    echo
    ratio_table
    echo
    echo "Targets (issue 5), from the medians above:"
    echo
    targets_table
    echo
    echo "Where the CPU went (medians over the TCP a->b runs):"
    echo
    cpu_table
    echo
    echo "A hub (issue 11):"
    echo
    hub_lines
    echo
    echo "Full-size frames (issue 12), from the medians above and a's counters over the whole run:"
    echo
    full_size_table
    echo
    echo "Against the kernel's own tunnel (issue 14). Frame rates: the highest offered"
    echo "rate of UDP datagrams (payload size per column) with at most ${RATE_LOSS}% loss,"
    echo "a->b, found by bisection over trials of ${RATE_SECONDS} s (tests/bench/rate_search.sh),"
    echo "thousands received per second:"
    echo
    rate_table
    echo
    echo "Latency under load: 100 pings a second for ${LOAD_SECONDS} s across the path while one"
    echo "TCP stream fills it a->b; added is minus raw veth's idle median RTT:"
    echo
    load_table
    echo
    echo "CPU per gigabyte delivered into b's interface during TCP a->b (the -pwd"
    echo "daemon as of $BASE_REV, before issue 14's work, is built from this repository's"
    echo "history and run in the same rounds for TCP a->b only, as the CPU goal's baseline):"
    echo
    cpu_gb_table
    echo
    echo "Idle cost:"
    echo
    idle_line
    echo
    echo "Targets (issue 14), from the medians above:"
    echo
    limits_targets_table
    echo
    echo "Memory:"
    echo
    memory_lines
    echo
    echo "Every run (the spread behind each median):"
    echo
    raw_runs
  } | write_doc_section "$1" host-bench
}
