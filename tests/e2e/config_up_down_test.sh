#!/usr/bin/env bash
# vnddconfig up/down from configuration files (tvpn.conf(5)) on two hosts:
# up creates each interface with its MTU, MAC and addresses, puts it in its
# bridge (created if missing), brings it up, starts its daemon and runs the
# hooks; the hosts then ping each other through the tunnel. down removes all
# of it (a bridge only if up created it). A failed up (a failing PostUp, a
# busy port) leaves nothing behind, and down cleans up after an up that was
# killed half-way and after a daemon that died. -pwd-file talks to a file's
# PasswordFile; -pwd warns that others can read it. The files live in a
# temporary directory, never in /etc.
set -u
. "$(dirname "$0")/../lib/netns.sh"

C=$BUILD/vnddconfig D=$BUILD/vnddvpnd
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
die() { echo "FAILED: $*"; exit 1; }

make_host a && make_host b || die "namespaces"
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || die "underlay"
declare -A ETC INO
for h in a b; do
  ETC[$h]=$TVPN_TMP/etc-$h/tvpn
  mkdir -p "${ETC[$h]}"
  TVPN_ETC_DIRS+=("$TVPN_TMP/etc-$h")
  INO[$h]=$(in_ns "$h" stat -L -c %i /proc/self/ns/net)
  printf 'plaid ferry orbit candle\n' >"${ETC[$h]}/vlan3.key"
  chmod 600 "${ETC[$h]}/vlan3.key"
done
# Records of an up the test did not see through are removed with the test
# (the namespaces' processes and interfaces go with tvpn_cleanup).
remove_records() { local h; for h in a b; do rm -f "/run/vnddvpnd/vlan3@net${INO[$h]}.up"; done; }
trap 'remove_records; tvpn_cleanup' EXIT

run_dir() { echo "/run/vnddvpnd/vlan3@net${INO[$1]}"; }
HOOKS_A=${ETC[a]}/hooks.log
cat >"${ETC[a]}/vlan3.conf" <<EOF
[Interface]
Address = 192.168.3.1/24
Address = fd00:3::1/64
MTU = 1400
MAC = 02:00:5e:10:00:01
ListenPort = 33000
PasswordFile = ${ETC[a]}/vlan3.key
PreUp = echo pre-up %i >>$HOOKS_A
PostUp = echo post-up %i >>$HOOKS_A
PreDown = echo pre-down %i >>$HOOKS_A
PostDown = echo post-down %i >>$HOOKS_A

[Peer]
Name = b
Endpoint = 198.51.100.2:33000
EOF
# b bridges vlan3 into br-t, which holds b's address on the segment.
write_b() {
  cat >"${ETC[b]}/vlan3.conf" <<EOF
[Interface]
Bridge = $1
ListenPort = 33000
PasswordFile = ${ETC[b]}/vlan3.key
PostUp = ip addr add 192.168.3.2/24 dev $1
$2
[Peer]
Name = a
Endpoint = 198.51.100.1:33000
EOF
}
write_b br-t ""

# nothing_left HOST [BRIDGE]: no vlan3, no bridge, no process, no runtime file.
nothing_left() {
  local h=$1 what=$2
  in_ns "$h" ip link show vlan3 >/dev/null 2>&1 && fail "$what: vlan3 is left on $h"
  [[ -n ${3-} ]] && in_ns "$h" ip link show "$3" >/dev/null 2>&1 && fail "$what: bridge $3 is left on $h"
  local pids
  pids=$(ip netns pids "$(ns "$h")" | paste -sd, -)
  [[ -z $pids ]] || fail "$what: processes left in $h: $(ps -o pid=,comm= -p "$pids" | tr '\n' ' ')"
  local f
  for f in "$(run_dir "$h")".{pid,ctl,up}; do [[ -e $f ]] && fail "$what: $f is left"; done
}

# --- up on both hosts
out=$(in_ns a "$C" up vlan3 -config "${ETC[a]}/vlan3.conf" 2>&1) || die "up on a failed: $out"
out=$(in_ns b "$C" up vlan3 -config "${ETC[b]}/vlan3.conf" 2>&1) || die "up on b failed: $out"
[[ -z $out ]] || fail "up printed something when all went well: $out"
addrs=$(in_ns a ip -o addr show dev vlan3 | awk '{print $4}' | tr '\n' ' ')
[[ $addrs == *"192.168.3.1/24"* && $addrs == *"fd00:3::1/64"* ]] || fail "a's vlan3 has the addresses [$addrs]"
[[ $(in_ns a cat /sys/class/net/vlan3/mtu) == 1400 ]] || fail "a's vlan3 MTU is not 1400"
[[ $(in_ns a cat /sys/class/net/vlan3/address) == 02:00:5e:10:00:01 ]] || fail "a's vlan3 MAC is not the file's"
in_ns a ip link show vlan3 | grep -q "state UP" || fail "a's vlan3 is not up"
in_ns b ip -o link show vlan3 | grep -q "master br-t" || fail "b's vlan3 is not in br-t"
in_ns b ip link show br-t | grep -q "<.*,UP" || fail "the bridge up created is not up"
for h in a b; do
  pid=$(cat "$(run_dir "$h").pid" 2>/dev/null)
  [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == vnddvpnd ]] || fail "$h: no vnddvpnd behind $(run_dir "$h").pid"
  [[ $(stat -c %a "$(run_dir "$h").up") == 600 ]] || fail "$h: the up record is not mode 600"
done
wait_ping a 192.168.3.2 15 || fail "a cannot ping b's bridge through the tunnel"
wait_ping b 192.168.3.1 5 || fail "b cannot ping a through the tunnel"
status=$(in_ns a "$C" status vlan3) || fail "status of the daemon up started: $status"
[[ $status == *"tunnel vlan3: 0.0.0.0:33000 -> 198.51.100.2:33000 (pwd"* ]] || fail "status lacks the encrypted tunnel: $status"
[[ $(cat "$HOOKS_A") == $'pre-up vlan3\npost-up vlan3' ]] || fail "hooks after up: $(cat "$HOOKS_A")"

# --- mistakes refused with one line, nothing changed
out=$(in_ns a "$C" up vlan3 -config "${ETC[a]}/vlan3.conf" 2>&1) && fail "a second up succeeded"
[[ $out == "vnddconfig: up vlan3: interface vlan3 already exists"* ]] || fail "second up: $out"
in_ns a ip link show vlan3 >/dev/null 2>&1 || fail "the refused second up removed vlan3"
printf '[Interface]\nListenPort = 33000\nMTU = 70000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:1\n' >"${ETC[a]}/vlan4.conf"
out=$(in_ns a "$C" up vlan4 -config "${ETC[a]}/vlan4.conf" 2>&1) && fail "up with a bad file succeeded"
[[ $out == "vnddconfig: up vlan4: ${ETC[a]}/vlan4.conf:3: MTU: 70000 is not between 68 and 9000" ]] || fail "bad file: $out"
out=$(in_ns a "$C" up vlan3 -config "${ETC[a]}/vlan4.conf" 2>&1) && fail "up of a file of another interface succeeded"
[[ $out == *"vlan4.conf"*"not between"* || $out == *"configures interface vlan4, not vlan3"* ]] || fail "wrong file: $out"
out=$(in_ns a "$C" down vlan4 2>&1) && fail "down of an interface that is not up succeeded"
[[ $out == "vnddconfig: down vlan4: vlan4 is not up (no record of 'vnddconfig up vlan4' at"* ]] || fail "down of vlan4: $out"
out=$(in_ns a "$D" -config "${ETC[a]}/vlan3.conf" -tunnel vlan3 198.51.100.1 1 198.51.100.2 1 2>&1) && fail "-config with -tunnel started"
[[ $out == *"-config cannot be mixed with -tunnel"* ]] || fail "-config with -tunnel: $out"

# --- down removes everything
out=$(in_ns a "$C" down vlan3 2>&1) || fail "down on a: $out"
out=$(in_ns b "$C" down vlan3 2>&1) || fail "down on b: $out"
nothing_left a "down"
nothing_left b "down" br-t
[[ $(cat "$HOOKS_A") == $'pre-up vlan3\npost-up vlan3\npre-down vlan3\npost-down vlan3' ]] || fail "hooks after down: $(cat "$HOOKS_A")"

# --- a bridge that existed before up is kept by down
in_ns b ip link add br-keep type bridge && in_ns b ip link set br-keep up
write_b br-keep ""
out=$(in_ns b "$C" up vlan3 -config "${ETC[b]}/vlan3.conf" 2>&1) || fail "up into an existing bridge: $out"
in_ns b ip -o link show vlan3 | grep -q "master br-keep" || fail "vlan3 is not in the existing bridge"
out=$(in_ns b "$C" down vlan3 2>&1) || fail "down from an existing bridge: $out"
in_ns b ip link show br-keep >/dev/null 2>&1 || fail "down deleted a bridge up had not created"
nothing_left b "down from br-keep"
in_ns b ip link del br-keep

# --- a failing PostUp: up undoes every step (PreDown and PostDown run too)
: >"$HOOKS_A"
sed -i 's|^PostUp = .*|PostUp = false|' "${ETC[a]}/vlan3.conf"
out=$(in_ns a "$C" up vlan3 -config "${ETC[a]}/vlan3.conf" 2>&1) && fail "up with a failing PostUp succeeded"
[[ $out == "vnddconfig: up vlan3: PostUp command 'false' failed (exit status 1) (nothing is left of the up)" ]] ||
  fail "failing PostUp: $out"
nothing_left a "failed PostUp"
[[ $(cat "$HOOKS_A") == $'pre-up vlan3\npre-down vlan3\npost-down vlan3' ]] || fail "hooks of the failed up: $(cat "$HOOKS_A")"
write_b br-t "PostUp = exit 3"
out=$(in_ns b "$C" up vlan3 -config "${ETC[b]}/vlan3.conf" 2>&1) && fail "b's up with a failing PostUp succeeded"
[[ $out == *"PostUp command 'exit 3' failed (exit status 3)"* ]] || fail "b's failing PostUp: $out"
nothing_left b "failed PostUp with a new bridge" br-t
sed -i 's|^PostUp = false|PostUp = echo post-up %i >>'"$HOOKS_A"'|' "${ETC[a]}/vlan3.conf"

# --- a busy port: the daemon cannot bind, up undoes every step
start_bg a "$TVPN_TMP/socat.log" socat -u UDP-RECV:33000 /dev/null
busy=$LAST_PID
wait_for 5 in_ns a sh -c "ss -Huln 'sport = :33000' | grep -q ." || fail "socat did not bind port 33000"
out=$(in_ns a "$C" up vlan3 -config "${ETC[a]}/vlan3.conf" 2>&1) && fail "up on a busy port succeeded"
[[ $out == "vnddconfig: up vlan3: vnddvpnd: tunnel vlan3: cannot bind UDP 0.0.0.0:33000: Address already in use (nothing is left of the up)" ]] ||
  fail "busy port: $out"
stop_pid "$busy"
nothing_left a "busy port"

# --- down after an up killed half-way (in a PostUp that hangs)
write_b br-t "PostUp = echo \$\$ >${ETC[b]}/hook.pid; exec sleep 60"
start_bg b "$TVPN_TMP/up-b.log" "$C" up vlan3 -config "${ETC[b]}/vlan3.conf"
upper=$LAST_PID
wait_for 30 test -s "${ETC[b]}/hook.pid" || fail "the hanging PostUp did not start: $(cat "$TVPN_TMP/up-b.log")"
{ kill -9 "$upper"; wait "$upper"; } 2>/dev/null
kill "$(cat "${ETC[b]}/hook.pid")" 2>/dev/null
wait_for 5 bash -c "! kill -0 $upper 2>/dev/null"
[[ -e $(run_dir b).up ]] || fail "the killed up left no record"
out=$(in_ns b "$C" down vlan3 2>&1) || fail "down after a killed up: $out"
nothing_left b "down after a killed up" br-t

# --- down after the daemon died
write_b br-t ""
out=$(in_ns b "$C" up vlan3 -config "${ETC[b]}/vlan3.conf" 2>&1) || fail "up on b again: $out"
kill -9 "$(cat "$(run_dir b).pid")"
out=$(in_ns b "$C" down vlan3 2>&1) || fail "down after the daemon died: $out"
nothing_left b "down after the daemon died" br-t

# --- -pwd-file on one end, PasswordFile on the other; -pwd warns
out=$(in_ns b "$C" up vlan3 -config "${ETC[b]}/vlan3.conf" 2>&1) || fail "up on b for -pwd-file: $out"
add_vif a vlan3 192.168.3.1/24 || fail "vnddconfig add on a"
start_bg a "$TVPN_TMP/a-file.log" "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd-file "${ETC[a]}/vlan3.key"
wait_ping a 192.168.3.2 15 || fail "-pwd-file and PasswordFile do not agree: $(cat "$TVPN_TMP/a-file.log")"
grep -q "other local users" "$TVPN_TMP/a-file.log" && fail "-pwd-file warned about the command line"
stop_pid "$LAST_PID"
chmod 640 "${ETC[a]}/vlan3.key"
out=$(in_ns a "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd-file "${ETC[a]}/vlan3.key" 2>&1) &&
  fail "-pwd-file accepted a group-readable file"
[[ $out == *"-pwd-file: password file ${ETC[a]}/vlan3.key has mode 0640: group or others may read or write it"* ]] ||
  fail "group-readable -pwd-file: $out"
start_bg a "$TVPN_TMP/a-pwd.log" "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "plaid ferry orbit candle"
wait_ping a 192.168.3.2 15 || fail "-pwd and PasswordFile do not agree"
(($(grep -c "warning: -pwd KEY: other local users can read a command line" "$TVPN_TMP/a-pwd.log") == 1)) ||
  fail "-pwd did not warn once: $(cat "$TVPN_TMP/a-pwd.log")"
stop_pid "$LAST_PID"
out=$(in_ns b "$C" down vlan3 2>&1) || fail "final down on b: $out"
nothing_left b "final down" br-t

((failures == 0)) || { echo "$failures failures"; exit 1; }
echo "ok: up/down from files on two hosts, failed and interrupted ups leave nothing, -pwd-file and -pwd"
