#!/usr/bin/env bash
# make bench: TVPN (clear and -pwd) against raw veth, the kernel's VXLAN (the
# limit for an L2 tunnel: no user-space crossing, no crypto) and the peer VPNs
# (OpenVPN TAP with a static key, wireguard-go, tinc and fastd in their TAP
# modes, n2n) between two network namespaces. Each path gets
# TCP both ways, ping RTT idle and under a TCP stream, 64-byte UDP frames per
# second flooded, and the loss-bounded UDP rate per size (rate_search.sh),
# REPS times in rounds; then the CPU cost of 64 idle tunnels. The -pwd daemon
# of before issue 14 (BASE_REV, built from git) is measured for TCP a->b and
# its CPU per GB only, as the baseline of issue 14's CPU goal. Medians and
# TVPN's ratios go to stdout and BENCH_OUT.
# A benchmark, not a test: no thresholds, but any failed setup step stops it
# with the logs. Needs root. All traffic stays inside the namespaces made here.
# Environment: BUILD (required), REPS (5), TCP_SECONDS (5), UDP_SECONDS (3),
# PINGS (20), BENCH_OUT (docs/BENCHMARKS.md; empty: print only), and those of
# rate_search.sh, load_latency.sh and idle_cost.sh.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$here/../.." && pwd)
REPS=${REPS:-5}
BENCH_OUT=${BENCH_OUT-$ROOT/docs/BENCHMARKS.md}

[[ $(id -u) == 0 ]] || { echo "bench: needs root (network namespaces)" >&2; exit 1; }
for tool in iperf3 jq ping openvpn wireguard-go wg tincd fastd edge supernode; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing: run scripts/install-deps.sh bench" >&2; exit 1; }
done
. "$here/../lib/netns.sh"
. "$here/paths.sh"
. "$here/measure.sh"
. "$here/rate_search.sh"
. "$here/load_latency.sh"
. "$here/idle_cost.sh"
. "$here/report.sh"

started=$SECONDS
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
VERSIONS=$(versions_line)
step() { printf '[bench %3ds] %s\n' $((SECONDS - started)) "$*"; }

step "setting up namespaces and tunnels"
setup_underlay
setup_vxlan
setup_tvpn
setup_tvpn_pwd
setup_tvpn_pwd1400
setup_tvpn_bridged
setup_tvpn_hub
step "building vnddvpnd as of $BASE_REV for the CPU baseline"
setup_tvpn_pwd_base
[[ -n "${PATH_NOTE[tvpn_pwd_base]:-}" ]] && step "${PATH_NOTE[tvpn_pwd_base]}, see $BUILD/bench-base/$BASE_REV.log"
setup_openvpn
setup_wg
setup_tinc
setup_fastd
setup_n2n
start_iperf_server b
start_iperf_server lb
frags_before=$(fragment_counts tvbr)
rss_sampler "$HUB_PID" tvpn_hub-hub
for t in "${TVPN_PATHS[@]}"; do
  [[ -n "${PATH_NOTE[$t]:-}" ]] && { step "${PATH_LABEL[$t]}: ${PATH_NOTE[$t]}"; continue; }
  for h in a b; do rss_sampler "${DAEMON_PIDS["$t $h"]}" "$t-$h"; done
done

# Rounds rather than one path at a time, so that a noisy minute on this
# shared machine spreads over every path instead of hitting one; each round
# in another order (round_order), so that no path always follows the same one.
for ((rep = 1; rep <= REPS; rep++)); do
  mapfile -t order < <(round_order "$rep" "${PATHS[@]}")
  for p in "${order[@]}"; do
    [[ -n "${PATH_NOTE[$p]:-}" ]] && continue
    step "round $rep/$REPS: ${PATH_LABEL[$p]}"
    measure_tcp "$p" fwd
    [[ -n "${PATH_TCP_FWD_ONLY[$p]:-}" ]] && continue
    measure_tcp "$p" rev
    measure_ping "$p"
    measure_udp "$p"
    measure_load_rtt "$p"
    measure_rates "$p"
  done
done

read -r out0 frag0 <<<"$frags_before"
read -r out1 frag1 <<<"$(fragment_counts tvbr)"
record tvpn_bridged frames_out $((out1 - out0))
record tvpn_bridged frames_fragmented $((frag1 - frag0))
for t in "${TVPN_PATHS[@]}"; do
  [[ -n "${PATH_NOTE[$t]:-}" ]] && continue
  for h in a b; do
    pid=${DAEMON_PIDS["$t $h"]}
    kill -0 "$pid" 2>/dev/null || die "vnddvpnd for $t in $h died during the benchmark"
    peak_kib "$pid" >"$RESULTS/$t-$h.hwm_kib"
  done
done

kill -0 "$HUB_PID" 2>/dev/null || die "the hub's vnddvpnd died during the benchmark"
peak_kib "$HUB_PID" >"$RESULTS/tvpn_hub-hub.hwm_kib"
step "$IDLE_TUNNELS idle -pwd tunnels in one daemon, for the cost of its timers"
measure_idle
step "a hub with 1 and with 64 idle peers, for the memory per peer"
read -r rss1 rss64 <<<"$(hub_rss_per_peer)"
record tvpn_hub rss1_kib "$rss1"
record tvpn_hub rss64_kib "$rss64"

step "done; medians of $REPS runs"
echo
results_table
echo
ratio_table
echo
targets_table
echo
cpu_table
echo
full_size_table
echo
rate_table
echo
load_table
echo
cpu_gb_table
echo
idle_line
echo
limits_targets_table
echo
hub_lines
echo
memory_lines
if [[ -n "$BENCH_OUT" ]]; then
  write_report "$BENCH_OUT" || die "cannot write $BENCH_OUT"
  echo; echo "bench: report written to $BENCH_OUT"
fi
