#!/usr/bin/env bash
# `make bench VM=1`, inside the test VM: the tap and vndd backends side by
# side, same kernel, same emulated CPUs. Two namespaces joined by a veth
# underlay, one tunnel with -pwd on each backend; per round and backend one
# TCP stream a->b (iperf3) and 64-byte UDP frames a->b (frames that reached
# b's interface, per second). Under TCG the absolute numbers mean little:
# the result is vndd's ratio to tap. Prints "VMBENCH ..." lines for the host.
# Environment: REPS (3), TCP_SECONDS (4), UDP_SECONDS (3).
set -u
export BUILD=${BUILD:-/tvpn/build}
REPS=${REPS:-3} TCP_SECONDS=${TCP_SECONDS:-4} UDP_SECONDS=${UDP_SECONDS:-3}
. "$(dirname "$0")/../../lib/netns.sh"

out() { echo "VMBENCH $*"; }
die() { out "error: $*"; for f in "$TVPN_TMP"/*.log; do out "--- $f"; tail -5 "$f" | sed 's/^/VMBENCH   /'; done; exit 1; }

insmod /lib/modules/tvpn/vnddmgr.ko || die "insmod vnddmgr"
make_host a && make_host b || die "namespaces"
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || die "underlay"
key="vm-bench-$RANDOM$RANDOM"
# tunnel BACKEND IF NET PORT: the interface on both hosts, daemons, addresses.
tunnel() {
  local be=$1 ifn=$2 net=$3 port=$4 h i=1
  for h in a b; do
    in_ns "$h" "$BUILD/vnddconfig" -backend "$be" add "$ifn" >"$TVPN_TMP/add-$ifn-$h.log" 2>&1 || die "add $ifn ($be)"
    in_ns "$h" ip addr add "$net.$i/24" dev "$ifn"
    in_ns "$h" ip link set "$ifn" up
    i=2
  done
  start_bg a "$TVPN_TMP/$ifn-a.log" "$BUILD/vnddvpnd" -tunnel "$ifn" 198.51.100.1 "$port" 198.51.100.2 "$port" -pwd "$key"
  daemons[$be]+="$LAST_PID "
  start_bg b "$TVPN_TMP/$ifn-b.log" "$BUILD/vnddvpnd" -tunnel "$ifn" 198.51.100.2 "$port" 198.51.100.1 "$port" -pwd "$key"
  daemons[$be]+="$LAST_PID "
  wait_ping a "$net.2" 30 || die "$be tunnel did not come up"
}
declare -A daemons=()
tunnel tap vt0 192.168.60 34000
tunnel vndd vv0 192.168.61 34001
in_ns b "$BUILD/vnddconfig" list | grep -Eq '^vv0 +vndd ' || die "vv0 is not on the vndd backend"
in_ns b "$BUILD/vnddconfig" list | grep -Eq '^vt0 +tap ' || die "vt0 is not on the tap backend"
start_bg b "$TVPN_TMP/iperf-server.log" iperf3 -s
sleep 1

# tcp NET: Mbit/s received by b.
tcp() {
  in_ns a timeout $((TCP_SECONDS + 20)) iperf3 -c "$1.2" -t "$TCP_SECONDS" -O 1 -f m >"$TVPN_TMP/tcp.txt" 2>&1 ||
    die "iperf3 TCP to $1.2: $(tail -2 "$TVPN_TMP/tcp.txt")"
  awk '/receiver/ {v = $(NF-2)} END {print v + 0}' "$TVPN_TMP/tcp.txt"
}
# udp NET IF: 64-byte UDP frames per second that reached b's IF.
udp() {
  local stats=/sys/class/net/$2/statistics/rx_packets r0 r1
  r0=$(in_ns b cat "$stats")
  in_ns a timeout $((UDP_SECONDS + 20)) iperf3 -c "$1.2" -u -l 64 -b 0 -t "$UDP_SECONDS" >"$TVPN_TMP/udp.txt" 2>&1 ||
    die "iperf3 UDP to $1.2: $(tail -2 "$TVPN_TMP/udp.txt")"
  sleep 0.5
  r1=$(in_ns b cat "$stats")
  echo $(((r1 - r0) / UDP_SECONDS))
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A res=()
for ((rep = 1; rep <= REPS; rep++)); do
  # Alternate the order so that neither backend always runs first.
  order="tap vndd"; ((rep % 2 == 0)) && order="vndd tap"
  for be in $order; do
    if [[ $be == tap ]]; then net=192.168.60 ifn=vt0; else net=192.168.61 ifn=vv0; fi
    t=$(tcp $net); u=$(udp $net $ifn)
    res[$be tcp]+="$t "; res[$be udp]+="$u "
    out "round $rep $be: tcp $t Mbit/s, udp $u frames/s"
  done
done
kill -0 "${TVPN_PIDS[@]}" 2>/dev/null || die "a daemon died during the benchmark"

med() { tr ' ' '\n' <<<"${res[$1]}" | grep . | median; }
tt=$(med "tap tcp") vt=$(med "vndd tcp") tu=$(med "tap udp") vu=$(med "vndd udp")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
out "TABLE | measure (median of $REPS, -pwd) | tap | vndd | vndd / tap |"
out "TABLE |---|---|---|---|"
out "TABLE | TCP one stream a->b, Mbit/s | $tt | $vt | $(ratio "$vt" "$tt") |"
out "TABLE | 64-byte UDP a->b, frames/s at b | $tu | $vu | $(ratio "$vu" "$tu") |"
# What batching buys at the module's boundary alone, without the datapath around it.
"$BUILD/vnddconfig" add vwb0 noarp >/dev/null 2>&1 && ip link set vwb0 up || die "add vwb0"
wb=$("$BUILD/vndd_probe" writebench vwb0) || die "writebench: $wb"
# rss BACKEND: the daemons' resident memory (a and b) after the rounds, KiB.
rss() {
  local p v=()
  for p in ${daemons[$1]}; do v+=("$(awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {print r " (anon " a ")"}' "/proc/$p/status")"); done
  echo "${v[*]}"
}
out "TABLE "
out "TABLE Daemon memory after the rounds (VmRSS of a and b, KiB): tap $(rss tap), vndd $(rss vndd)"
out "TABLE "
out "TABLE Module write path alone (vndd_probe writebench, 60-byte frames into the stack): $wb"
out "done"
