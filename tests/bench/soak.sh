#!/usr/bin/env bash
# make soak: memory of the vnddvpnd processes under load over time. Two
# namespaces, a -pwd tunnel with a short rekey interval, iperf3 both ways in
# turn for SOAK_SECONDS (600); VmRSS of both daemons sampled every 10 s.
# Prints the samples, the first-minute and last-minute medians and the
# growth, and writes them to the soak section of BENCH_OUT
# (docs/BENCHMARKS.md; empty: print only). A measurement, not a test: no
# threshold. Needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:?BUILD must name the build directory}"
SOAK_SECONDS=${SOAK_SECONDS:-600}
BENCH_OUT=${BENCH_OUT-$here/../../docs/BENCHMARKS.md}
. "$here/../lib/netns.sh"
. "$here/../lib/bench_doc.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
for h in a b; do in_ns "$h" "$BUILD/vnddconfig" add vlan3 || exit 1; in_ns "$h" ip link set vlan3 up; done
in_ns a ip addr add 192.168.3.1/24 dev vlan3
in_ns b ip addr add 192.168.3.2/24 dev vlan3
start_bg a "$TVPN_TMP/a.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "soak test ember violin quay" -rekey 30
pa=$LAST_PID
start_bg b "$TVPN_TMP/b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd "soak test ember violin quay" -rekey 30
pb=$LAST_PID
wait_ping a 192.168.3.2 15 || { echo "soak: tunnel did not come up"; exit 1; }
start_bg b "$TVPN_TMP/iperf.log" iperf3 -s -p 5201

rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
samples_a=() samples_b=()
end=$((SECONDS + SOAK_SECONDS))
round=0 gbits=()
while ((SECONDS < end)); do
  dir=""; ((round++ % 2)) && dir="-R"
  g=$(in_ns a timeout 20 iperf3 -c 192.168.3.2 -p 5201 -t 9 $dir -J 2>/dev/null |
    jq -r '.end.sum_received.bits_per_second / 1e9' 2>/dev/null | awk '{ printf "%.2f", $1 }')
  gbits+=("${g:-0}")
  for p in "$pa" "$pb"; do
    kill -0 "$p" 2>/dev/null || { echo "soak: a daemon died"; tail "$TVPN_TMP"/[ab].log; exit 1; }
  done
  samples_a+=("$(rss "$pa")") samples_b+=("$(rss "$pb")")
  printf 'soak %4ds: VmRSS a %s KiB, b %s KiB; iperf3 %s Gbit/s\n' $((SOAK_SECONDS - (end - SECONDS))) \
    "${samples_a[-1]}" "${samples_b[-1]}" "${g:-?}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
# summary NAME PID SAMPLES...: first- and last-minute medians, growth, max and peak.
summary() {
  local name=$1 pid=$2; shift 2
  local s=("$@") n=$# k first last
  k=$((n < 6 ? n : 6))
  first=$(median "${s[@]:0:k}")
  last=$(median "${s[@]:n-k:k}")
  printf -- '- vnddvpnd on %s: VmRSS median of the first minute %s KiB, of the last minute %s KiB, growth %s KiB; max %s KiB; VmHWM %s KiB\n' \
    "$name" "$first" "$last" $((last - first)) "$(printf '%s\n' "${s[@]}" | sort -g | tail -n1)" \
    "$(awk '/VmHWM/{print $2}' "/proc/$pid/status")"
}
rekeys=$(grep -c 'handshake complete' "$TVPN_TMP/a.log")
report=$(
  echo "## Memory over a soak (make soak)"
  echo
  echo "Written by \`make soak\` (tests/bench/soak.sh): $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kernel $(uname -r)."
  echo "One -pwd tunnel rekeying every 30 s, iperf3 9 s at a time, the two directions in turn,"
  echo "for ${SOAK_SECONDS} s (${#samples_a[@]} rounds; median $(median "${gbits[@]}") Gbit/s; $rekeys handshakes logged by a);"
  echo "VmRSS of both daemons sampled after each round. VmHWM includes the one-off scrypt"
  echo "derivation of the password at start-up (32 MiB, freed at once)."
  echo
  summary a "$pa" "${samples_a[@]}"
  summary b "$pb" "${samples_b[@]}"
)
echo "soak: ${#samples_a[@]} samples over ${SOAK_SECONDS}s"
echo "$report" | tail -n 2
if [[ -n "$BENCH_OUT" ]]; then
  echo "$report" | write_doc_section "$BENCH_OUT" soak || { echo "soak: cannot write $BENCH_OUT"; exit 1; }
  echo "soak: written to $BENCH_OUT"
fi
