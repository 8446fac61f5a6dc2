#!/usr/bin/env bash
# A hub with 64 peers on one interface, all `any` (addresses learnt), each
# with its own name; four spoke hosts run 16 spoke daemons each, one per
# interface. Every spoke reaches the hub and the hub every spoke; then one
# spoke floods broadcasts with random source MACs (a storm and a table
# exhaustion attempt at once) and the other spokes keep working. The hub's
# memory with 64 peers is reported.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

PW="sixty four spokes plaid ferry orbit"
N=64 PER_HOST=16
make_host hub || fail "hub"
in_ns hub ip link add wanbr type bridge && in_ns hub ip addr add 203.0.113.1/24 dev wanbr && in_ns hub ip link set wanbr up
in_ns hub "$BUILD/vnddconfig" add vlan3 >/dev/null || fail "vnddconfig add on the hub"
in_ns hub ip addr add 192.168.64.254/24 dev vlan3
in_ns hub ip link set vlan3 up
args=()
for i in $(seq 1 $N); do args+=(-tunnel vlan3 0.0.0.0 33000 any 0 -pwd "$PW" -name "s$i"); done
DAEMON_RUNS=1 DLOG[hub]=$TVPN_TMP/hub.log
start_bg hub "${DLOG[hub]}" "$BUILD/vnddvpnd" "${args[@]}"
DPID[hub]=$LAST_PID

for h in 1 2 3 4; do
  make_host "h$h" || fail "host h$h"
  ip -n "$(ns hub)" link add "p$h" type veth peer name wan0 netns "$(ns "h$h")" || fail "veth h$h"
  in_ns hub ip link set "p$h" master wanbr && in_ns hub ip link set "p$h" up
  in_ns "h$h" ip addr add "203.0.113.1$h/24" dev wan0 && in_ns "h$h" ip link set wan0 up
  for k in $(seq 1 $PER_HOST); do
    i=$(((h - 1) * PER_HOST + k))
    in_ns "h$h" "$BUILD/vnddconfig" add "v$k" >/dev/null || fail "vnddconfig add v$k on h$h"
    # One route per spoke interface: a /32 to the hub through that spoke's tunnel.
    in_ns "h$h" ip addr add "192.168.64.$i/32" dev "v$k"
    in_ns "h$h" ip link set "v$k" up
    DAEMON_RUNS=$((DAEMON_RUNS + 1)) DLOG[s$i]=$TVPN_TMP/s$i.log
    start_bg "h$h" "${DLOG[s$i]}" "$BUILD/vnddvpnd" -tunnel "v$k" 203.0.113.1$h 0 203.0.113.1 33000 -pwd "$PW" -name "s$i"
    DPID[s$i]=$LAST_PID
  done
done
wait_for 60 grep -q 'vlan3 up' "${DLOG[hub]}" || fail "the hub did not come up"

# Each spoke pings the hub from its own interface (its own source address).
reached=0 missing=()
for i in $(seq 1 $N); do
  h=$(((i - 1) / PER_HOST + 1)) k=$(((i - 1) % PER_HOST + 1))
  ok=0
  for _ in $(seq 30); do
    in_ns "h$h" ping -c1 -W1 -I "v$k" 192.168.64.254 >/dev/null 2>&1 && { ok=1; break; }
  done
  ((ok)) && reached=$((reached + 1)) || missing+=("s$i")
done
((reached == N)) || fail "$reached of $N spokes reached the hub; not: ${missing[*]}"
echo "ok: all $N spokes reach the hub through one interface"
daemon_status hub
(($(grep -c '^  name: s' <<<"$STATUS") == N)) || fail "the hub's status does not list $N peers"
echo "hub with $N peers: $(grep VmRSS /proc/${DPID[hub]}/status)"

# Spoke 1 floods broadcasts with random source MACs for 5 s, about 10000 a
# second: five times what the hub floods from one peer, and each a new source
# (paced, so that the test measures the switch, not who gets the 2 CPUs).
in_ns h1 python3 - <<'PY' &
import os, socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("v1", 0))
end = time.time() + 5
n = 0
while time.time() < end:
    for _ in range(100):
        src = bytes([0x02]) + os.urandom(5)
        s.send(b"\xff" * 6 + src + b"\x88\xb5" + b"storm" * 10)
        n += 1
    time.sleep(0.01)
print("storm frames", n)
PY
storm=$!
sleep 1
for i in 17 33 49 64; do
  h=$(((i - 1) / PER_HOST + 1)) k=$(((i - 1) % PER_HOST + 1))
  in_ns "h$h" ping -c3 -W2 -I "v$k" 192.168.64.254 >/dev/null || fail "spoke s$i cannot reach the hub during s1's storm"
done
wait $storm
daemon_status hub
grep -q 'flood-limited=[1-9]' <<<"$STATUS" || fail "the hub did not limit s1's flood"
grep -q 'recycled=[1-9]' <<<"$STATUS" || fail "s1's random sources did not fill (and recycle) its own share of the table"
echo "ok: other spokes keep working while one floods random source MACs"
alive hub
