#!/usr/bin/env bash
# The benchmark report's targets and CPU tables (tests/bench/report.sh) on
# made-up results: each verdict follows its goal, against the right peer.
# Runs no benchmark; needs no root.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/tvpn-bench-report.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
TVPN_TMP=$tmp
. "$root/tests/bench/measure.sh"   # median; RESULTS=$TVPN_TMP/results
. "$root/tests/bench/rate_search.sh"  # RATE_SIZES, RATE_PATHS, RATE_LOSS
. "$root/tests/bench/idle_cost.sh"    # IDLE_TUNNELS
. "$root/tests/bench/report.sh"
PATHS=(raw tvpn tvpn_pwd openvpn wg)
PEER_PATHS=(openvpn wg)
declare -A PATH_LABEL=([raw]=raw [tvpn]=clear [tvpn_pwd]=pwd [openvpn]=ovpn [wg]=wg [tinc]=tinc [fastd]=fastd [n2n]=n2n) PATH_NOTE=()
failures=0
check() { local what=$1; shift; "$@" || { echo "FAILED: $what"; failures=$((failures + 1)); }; }
# put PATH METRIC VALUES...: one run per value.
put() { local p=$1 m=$2; shift 2; printf '%s\n' "$@" >"$RESULTS/$p.$m"; }

put raw tcp_fwd 8 8 8; put raw tcp_rev 8 8 8; put raw rtt_ms 0.03
put tvpn_pwd tcp_fwd 2.0 2.1 1.9; put tvpn_pwd tcp_rev 1.5; put tvpn_pwd rtt_ms 0.25
put openvpn tcp_fwd 0.3; put openvpn tcp_rev 0.3; put openvpn rtt_ms 0.30
put wg tcp_fwd 0.5; put wg tcp_rev 0.45; put wg rtt_ms 0.40
put tvpn_pwd udp_kpps 70; put openvpn udp_kpps 30; put wg udp_kpps 40
put tvpn_pwd udp_if_kpps 170; put openvpn udp_if_kpps 33; put wg udp_if_kpps 50
put tvpn_pwd-a rss_kib 11000 11200; put tvpn_pwd-b rss_kib 10900
put tvpn_pwd busy 97 99 98; put tvpn_pwd cpu_a 60; put tvpn_pwd cpu_b 55
out=$(targets_table)
row() { grep -F "| $1" <<<"$out"; }
# TCP: slower direction 1.5 over the best peer's faster direction 0.5 = 3.00x
check "TCP ratio uses the slower TVPN and the best peer's faster direction" grep -q '| 3.00x | met |' <<<"$(row 'TCP, slower direction / best')"
check "raw veth fraction 1.5/8" grep -q '| 0.19 | missed |' <<<"$(row 'TCP, slower direction / raw')"
# added RTT: 0.22 against the lowest peer's 0.27
check "added RTT against the lowest peer" grep -q '<= 0.270 | 0.220 | met' <<<"$(row 'added RTT')"
check "UDP received 70/40" grep -q '| 1.75x | missed |' <<<"$(row '64 B UDP received')"
check "UDP into the interface 170/50" grep -q '| 3.40x | met |' <<<"$(row '64 B UDP into')"
check "RSS max of both ends" grep -q '| 10.9 MiB | met |' <<<"$(row 'vnddvpnd VmRSS')"
cpu=$(cpu_table)
check "CPU table row" grep -q '| pwd | 60 | 55 | 98 |' <<<"$cpu"
check "no CPU row without samples" bash -c '! grep -q "| clear |" <<<"$1"' _ "$cpu"
# Every peer counts: a third peer faster than both (0.75 TCP, 60 kpps, 0.19 ms
# added RTT) becomes the reference; one that was not measured is left out.
PEER_PATHS=(openvpn wg tinc fastd)
PATH_NOTE[fastd]="n/a (test)"
put tinc tcp_fwd 0.3; put tinc tcp_rev 0.75; put tinc rtt_ms 0.22; put tinc udp_kpps 60; put tinc udp_if_kpps 20
put fastd tcp_fwd 9; put fastd tcp_rev 9; put fastd rtt_ms 0.01; put fastd udp_kpps 900
out=$(targets_table)
check "TCP against the third, faster peer 1.5/0.75" grep -q '| 2.00x | missed |' <<<"$(row 'TCP, slower direction / best')"
check "added RTT against the third peer's 0.19" grep -q '<= 0.190 | 0.220 | missed' <<<"$(row 'added RTT')"
check "UDP received against the third peer 70/60" grep -q '| 1.17x | missed |' <<<"$(row '64 B UDP received')"
check "UDP into the interface still against wg 170/50" grep -q '| 3.40x | met |' <<<"$(row '64 B UDP into')"
check "ratio table has a row per measured peer" grep -q '^| pwd / tinc | 6.67x | 2.00x |' <<<"$(ratio_table)"
PEER_PATHS=(openvpn wg)
unset 'PATH_NOTE[fastd]'
# Full-size frames: 2.0 / 2.1 within 10% (met), 1.5 / 2.0 not; 5 of 1000 frames in fragments.
put tvpn_pwd1400 tcp_fwd 2.1; put tvpn_pwd1400 tcp_rev 2.0
put tvpn_bridged tcp_fwd 1.8; put tvpn_bridged tcp_rev 1.7
put tvpn_bridged frames_out 1000; put tvpn_bridged frames_fragmented 5
full=$(full_size_table)
check "full-size a->b within 10%" grep -q 'a->b, -pwd at MTU 1500 / -pwd at MTU 1400 | >= 0.90 | 0.95 | met |' <<<"$full"
check "full-size b->a below 90%" grep -q 'b->a, -pwd at MTU 1500 / -pwd at MTU 1400 | >= 0.90 | 0.75 | missed |' <<<"$full"
check "bridged TCP" grep -q '| 1.80 / 1.70 Gbit/s |' <<<"$full"
check "fragment share" grep -q '| 0.500 % (5 of 1000) |' <<<"$full"
# The hub: half the direct tunnel's TCP; (16640 - 10240) / 63 KiB per added peer.
put tvpn_hub tcp_fwd 1.0; put tvpn_hub tcp_rev 0.75; put tvpn_hub rss1_kib 10240; put tvpn_hub rss64_kib 16640
hub=$(hub_lines)
check "hub TCP against the direct tunnel" grep -q 'a->b 1.00 Gbit/s, b->a 0.75 Gbit/s: 0.50x and 0.50x' <<<"$hub"
check "hub memory per peer" grep -q 'VmRSS 10.0 and 16.2 MiB, 102 KiB per added peer' <<<"$hub"
# Issue 14: against VXLAN, the loss-bounded rates, latency under load, CPU per GB, idle cost.
PATHS=(raw vxlan tvpn tvpn_pwd openvpn wg)
PATH_LABEL[vxlan]=vxlan
put vxlan tcp_fwd 4 4 4; put vxlan tcp_rev 4; put tvpn tcp_fwd 3.6; put tvpn tcp_rev 3.0
put tvpn_pwd rate_64 200 190 210; put openvpn rate_64 50; put wg rate_64 90; put vxlan rate_64 500
put tvpn_pwd load_rtt_p50 0.8; put tvpn_pwd load_rtt_p99 6; put tvpn_pwd load_ping_loss 0.5
put tvpn_pwd cpu_s_per_gb 1.5; put tvpn_pwd machine_s_per_gb 3.1; put vxlan machine_s_per_gb 1.2
put idle cpu_a 0.4 0.4; put idle cpu_b 1.2; put idle wakeups_a 10; put idle wakeups_b 11
lim=$(limits_targets_table)
lrow() { grep -F "| $1" <<<"$lim"; }
check "-pwd a->b against VXLAN 2.0/4" grep -q '| >= 0.5 | 0.50 | met |' <<<"$(lrow 'TCP a->b, -pwd')"
check "-pwd b->a against VXLAN 1.5/4" grep -q '| >= 0.5 | 0.38 | missed |' <<<"$(lrow 'TCP b->a, -pwd')"
check "clear a->b against VXLAN 3.6/4" grep -q '| >= 0.8 | 0.90 | met |' <<<"$(lrow 'TCP a->b, clear')"
check "clear b->a against VXLAN 3.0/4" grep -q '| >= 0.8 | 0.75 | missed |' <<<"$(lrow 'TCP b->a, clear')"
check "64 B rate against the best peer 200/90" grep -q '| >= 2x | 2.22x | met |' <<<"$(lrow '64 B UDP at <= 0.1% loss, -pwd / best')"
check "64 B rate against VXLAN 200/500" grep -q '| >= 0.5 | 0.40 | missed |' <<<"$(lrow '64 B UDP at <= 0.1% loss, -pwd / kernel')"
check "no 512 B rate: no verdict" grep -q '| - | - |$' <<<"$(lrow '512 B UDP at <= 0.1% loss, -pwd / best')"
check "added RTT under load, median 0.8-0.03" grep -q '| < 1 ms | 0.770 ms | met |' <<<"$(lrow 'added RTT under one TCP stream, median')"
check "added RTT under load, 99th 6-0.03" grep -q '| < 5 ms | 5.970 ms | missed |' <<<"$(lrow 'added RTT under one TCP stream, 99th')"
check "CPU per GB, no baseline build in the run: 0.7 of the recorded one" \
  grep -q '| <= 1.60 s (0.7 of 2.29 s, b79784d on another day) | 1.50 s | met |' <<<"$(lrow "both daemons' CPU")"
BASE_REV=b79784d
put tvpn_pwd_base cpu_s_per_gb 2.0 2.1 2.2
check "CPU per GB against 0.7 of the baseline build measured in the run" \
  grep -q '| <= 1.47 s (0.7 of 2.10 s, b79784d in this run) | 1.50 s | missed |' <<<"$(limits_targets_table | grep -F "| both daemons' CPU")"
check "idle cost: the busier daemon" grep -q '| < 1% of a core | 1.20 % | missed |' <<<"$(lrow '64 idle')"
check "rate table row" grep -q '^| pwd | 200 | - | - |$' <<<"$(rate_table)"
check "load table row" grep -q '^| pwd | 0.250 | 0.800 | 6.000 | 0.770 | 5.970 | 0.5 % |$' <<<"$(load_table)"
check "CPU per GB rows: a kernel tunnel has no daemon" grep -q '^| vxlan | in the kernel | 1.20 |$' <<<"$(cpu_gb_table)"
check "idle line" grep -q '64 idle -pwd tunnels in one daemon: 0.40% and 1.20% of a core (a, b), 10 and 11 wake-ups' <<<"$(idle_line)"
PATH_NOTE[tvpn_pwd]="not measured"
check "no targets without a -pwd run" test -z "$(targets_table)"
check "no issue 14 targets without a -pwd run" test -z "$(limits_targets_table)"
# The rounds' orders: each a permutation of the paths, not all the same, and
# the same again for the same round.
order_of() { round_order "$1" p1 p2 p3 p4 p5 p6 p7 p8 | tr '\n' ' '; }
check "round order is a permutation" test "$(round_order 3 p1 p2 p3 p4 p5 p6 p7 p8 | sort | tr '\n' ' ')" = "p1 p2 p3 p4 p5 p6 p7 p8 "
check "round order changes between rounds" test "$(for r in 1 2 3 4 5; do order_of "$r"; echo; done | sort -u | wc -l)" -ge 4
# A second apart: a shuffle seeded from the clock would differ.
first=$(order_of 2); sleep 1.1
check "round order repeats for the same round" test "$first" = "$(order_of 2)"
check "round order keeps labels with spaces whole" test "$(round_order 1 'a b' c | sort | tr '\n' '|')" = "a b|c|"
((failures == 0)) && echo "ok: bench report targets, CPU, full-size and issue 14 tables" || exit 1
