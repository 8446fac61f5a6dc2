#!/usr/bin/env bash
# make soak: memory of one vnddvpnd under load over time. Two namespaces, a
# -pwd tunnel with a short rekey interval, iperf3 both ways in turn for
# SOAK_SECONDS (600); VmRSS of the sending daemon sampled every 10 s. Prints
# the samples, the first-minute and last-minute medians and the growth.
# A measurement, not a test: no threshold. Needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:?BUILD must name the build directory}"
SOAK_SECONDS=${SOAK_SECONDS:-600}
. "$here/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
for h in a b; do in_ns "$h" "$BUILD/vnddconfig" add vlan3 || exit 1; in_ns "$h" ip link set vlan3 up; done
in_ns a ip addr add 192.168.3.1/24 dev vlan3
in_ns b ip addr add 192.168.3.2/24 dev vlan3
start_bg a "$TVPN_TMP/a.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd soak -rekey 30
pa=$LAST_PID
start_bg b "$TVPN_TMP/b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd soak -rekey 30
wait_ping a 192.168.3.2 15 || { echo "soak: tunnel did not come up"; exit 1; }
start_bg b "$TVPN_TMP/iperf.log" iperf3 -s -p 5201

rss() { awk '/VmRSS/{print $2}' "/proc/$pa/status"; }
samples=()
end=$((SECONDS + SOAK_SECONDS))
round=0
while ((SECONDS < end)); do
  dir=""; ((round++ % 2)) && dir="-R"
  in_ns a timeout 20 iperf3 -c 192.168.3.2 -p 5201 -t 9 $dir >/dev/null 2>&1
  kill -0 "$pa" 2>/dev/null || { echo "soak: the daemon died"; tail "$TVPN_TMP/a.log"; exit 1; }
  samples+=("$(rss)")
  printf 'soak %4ds: VmRSS %s KiB\n' $((SOAK_SECONDS - (end - SECONDS))) "${samples[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
n=${#samples[@]}
k=$(( n < 6 ? n : 6 ))
first=$(median "${samples[@]:0:k}")
last=$(median "${samples[@]:n-k:k}")
hwm=$(awk '/VmHWM/{print $2}' "/proc/$pa/status")
echo "soak: $n samples over ${SOAK_SECONDS}s; VmRSS median of the first minute $first KiB, of the last minute $last KiB, growth $((last - first)) KiB; VmHWM $hwm KiB"
