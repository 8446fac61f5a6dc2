#!/usr/bin/env bash
# vnddvpnd@.service without systemd: the commands of packaging/vnddvpnd@.service
# (ExecStartPre, ExecStart, ExecStopPost, read from the unit itself, @SBINDIR@
# the build and %i the interface) run in two namespaces as systemd runs them,
# each host with /etc/tvpn/vlan3.conf in an /etc of its own. Starting gives
# vlan3 the file's MTU, MAC, addresses and bridge and runs the hooks, as
# `vnddconfig up` does, and the hosts ping each other through the tunnel;
# stopping (SIGTERM to the daemon, then ExecStopPost) leaves nothing behind.
# A start that fails (a failing PostUp) or is interrupted, and a daemon that
# dies, leave nothing either once ExecStopPost ran; a start refused because
# `vnddconfig up` had set vlan3 up leaves that up alone, and a plain
# `vnddconfig down` leaves the service's interface alone.
set -u
here=$(dirname "$0")
. "$here/../lib/netns.sh"
. "$here/../lib/private_etc.sh"
UNIT=$here/../../packaging/vnddvpnd@.service

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
die() { echo "FAILED: $*"; exit 1; }

make_host a && make_host b || die "namespaces"
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || die "underlay"
declare -A INO
for h in a b; do
  private_etc "$h" || die "private /etc on $h"
  INO[$h]=$(in_ns "$h" stat -L -c %i /proc/self/ns/net)
done
remove_records() { local h; for h in a b; do rm -f "/run/vnddvpnd/vlan3@net${INO[$h]}.up"; done; }
trap 'remove_records; tvpn_cleanup' EXIT
record() { echo "/run/vnddvpnd/vlan3@net${INO[$1]}.up"; }

# unit_lines KEY: the unit's KEY= commands, in order, made runnable here;
# a leading '-' (failure ignored) is kept for run_unit_step.
unit_lines() {
  local line
  while IFS= read -r line; do
    line=${line#*=}
    line=${line//@SBINDIR@/$BUILD}
    echo "${line//%i/vlan3}"
  done < <(grep -E "^$1=" "$UNIT")
}
mapfile -t START_PRE < <(unit_lines ExecStartPre)
mapfile -t START < <(unit_lines ExecStart)
mapfile -t STOP_POST < <(unit_lines ExecStopPost)
((${#START_PRE[@]} >= 1 && ${#START[@]} == 1 && ${#STOP_POST[@]} >= 1)) ||
  die "the unit has ${#START_PRE[@]} ExecStartPre, ${#START[@]} ExecStart, ${#STOP_POST[@]} ExecStopPost lines"
[[ ${START_PRE[*]} == *"vnddconfig up vlan3"* && ${STOP_POST[*]} == *"vnddconfig down vlan3"* ]] ||
  die "the unit's steps are not vnddconfig up and down: ${START_PRE[*]} / ${STOP_POST[*]}"

# run_unit_steps HOST LINE...: each line as systemd runs it (no shell: words
# split on spaces; '-' ignores a failure; '+', full privileges, is what root
# has here anyway). Fails at the first failure, with its output in STEP_OUT.
run_unit_steps() {
  local h=$1 line ignore words; shift
  STEP_OUT=
  for line in "$@"; do
    ignore=0
    while [[ $line == [-+]* ]]; do
      [[ $line == -* ]] && ignore=1
      line=${line:1}
    done
    read -ra words <<<"$line"
    STEP_OUT+=$(on_host "$h" "${words[@]}" 2>&1) && continue
    ((ignore)) || return 1
  done
}
# start_unit HOST: ExecStartPre, then ExecStart in the background (DAEMON[HOST]).
declare -A DAEMON DLOG
STARTS=0
start_unit() {
  local h=$1 words
  run_unit_steps "$h" "${START_PRE[@]}" || return 1
  # In the initial namespace the unit's -pidfile is the name vnddconfig
  # looks for; in a test host's namespace that name is IF@netINODE.pid.
  local start=${START[0]//\/run\/vnddvpnd\/vlan3.pid//run/vnddvpnd/vlan3@net${INO[$h]}.pid}
  read -ra words <<<"$start"
  STARTS=$((STARTS + 1))
  DLOG[$h]=$TVPN_TMP/$h-daemon.$STARTS.log
  start_bg "$h" "${DLOG[$h]}" nsenter --target "${TVPN_ETC_HOLDER[$h]}" --mount --net -- "${words[@]}"
  DAEMON[$h]=$LAST_PID
}
# stop_unit HOST: what systemctl stop does: SIGTERM to the daemon, then ExecStopPost.
stop_unit() {
  local h=$1
  if [[ -n ${DAEMON[$h]-} ]]; then
    stop_pid "${DAEMON[$h]}" || fail "$h: the daemon did not stop on SIGTERM"
    DAEMON[$h]=
  fi
  run_unit_steps "$h" "${STOP_POST[@]}"
}

HOOKS=$TVPN_TMP/hooks-a.log
for h in a b; do
  on_host "$h" sh -c 'mkdir -p /etc/tvpn && umask 077 && echo "plaid ferry orbit candle" >/etc/tvpn/vlan3.key' ||
    die "key on $h"
done
on_host a sh -c "cat >/etc/tvpn/vlan3.conf" <<EOF
[Interface]
Address = 192.168.3.1/24
Address = fd00:3::1/64
MTU = 1400
MAC = 02:00:5e:10:00:01
ListenPort = 33000
PasswordFile = /etc/tvpn/vlan3.key
PreUp = echo pre-up %i >>$HOOKS
PostUp = echo post-up %i >>$HOOKS
PreDown = echo pre-down %i >>$HOOKS
PostDown = echo post-down %i >>$HOOKS

[Peer]
Name = b
Endpoint = 198.51.100.2:33000
EOF
# b_conf [EXTRA [INTERFACE LINES]]: b bridges vlan3 into br-u, which holds b's address.
b_conf() {
  on_host b sh -c "cat >/etc/tvpn/vlan3.conf" <<EOF
[Interface]
Bridge = br-u
ListenPort = 33000
PasswordFile = /etc/tvpn/vlan3.key
PostUp = ip addr add 192.168.3.2/24 dev br-u
${1-}
[Peer]
Name = a
Endpoint = 198.51.100.1:33000
EOF
}
b_conf

# nothing_left HOST WHAT: no vlan3, no br-u, no daemon, no record, no pidfile.
nothing_left() {
  local h=$1 what=$2 f pid
  in_ns "$h" ip link show vlan3 >/dev/null 2>&1 && fail "$what: vlan3 is left on $h"
  in_ns "$h" ip link show br-u >/dev/null 2>&1 && fail "$what: br-u is left on $h"
  for pid in $(ip netns pids "$(ns "$h")"); do
    [[ $pid == "${TVPN_ETC_HOLDER[$h]}" ]] || fail "$what: $(ps -o pid=,args= -p "$pid") is left on $h"
  done
  for f in "$(record "$h")" "/run/vnddvpnd/vlan3@net${INO[$h]}".{pid,ctl}; do [[ -e $f ]] && fail "$what: $f is left"; done
}

# --- start on both hosts: the interface as the file says, a working tunnel
start_unit a || die "a's ExecStartPre failed: $STEP_OUT"
start_unit b || die "b's ExecStartPre failed: $STEP_OUT"
addrs=$(in_ns a ip -o addr show dev vlan3 | awk '{print $4}' | tr '\n' ' ')
[[ $addrs == *"192.168.3.1/24"* && $addrs == *"fd00:3::1/64"* ]] || fail "a's vlan3 has the addresses [$addrs]"
[[ $(in_ns a cat /sys/class/net/vlan3/mtu) == 1400 ]] || fail "a's vlan3 MTU is not the file's 1400"
[[ $(in_ns a cat /sys/class/net/vlan3/address) == 02:00:5e:10:00:01 ]] || fail "a's vlan3 MAC is not the file's"
# Set up (the flag): the carrier follows once the daemon has attached.
in_ns a ip -o link show vlan3 | grep -qE '[<,]UP[,>]' || fail "a's vlan3 is not set up"
in_ns b ip -o link show vlan3 | grep -q "master br-u" || fail "b's vlan3 is not in the bridge br-u"
in_ns b ip -o addr show dev br-u | grep -q 192.168.3.2/24 || fail "b's PostUp did not address br-u"
wait_ping a 192.168.3.2 15 || fail "a cannot ping b through the unit's tunnel: $(cat "${DLOG[a]}" "${DLOG[b]}")"
wait_ping b 192.168.3.1 5 || fail "b cannot ping a through the unit's tunnel"
[[ $(cat "$HOOKS") == $'pre-up vlan3\npost-up vlan3' ]] || fail "hooks after the start: $(cat "$HOOKS")"
status=$(in_ns a "$BUILD/vnddconfig" status vlan3) || fail "status of the unit's daemon: $status"
[[ $status == *"tunnel vlan3: 0.0.0.0:33000 -> 198.51.100.2:33000 (pwd"* ]] || fail "status lacks the encrypted tunnel: $status"

# --- a plain down leaves the service's interface alone
out=$(on_host a "$BUILD/vnddconfig" down vlan3 2>&1) && fail "a plain down took the service's vlan3 down"
[[ $out == "vnddconfig: down vlan3: vlan3 was set up by 'vnddconfig up vlan3 -no-daemon'"* ]] || fail "plain down: $out"
in_ns a ip link show vlan3 >/dev/null 2>&1 || fail "the refused plain down removed vlan3"
# --- a second start while running is refused and names the right down
out=$(on_host a "$BUILD/vnddconfig" up vlan3 -no-daemon 2>&1) && fail "a second up -no-daemon succeeded"
[[ $out == *"interface vlan3 already exists"* ]] || fail "second up -no-daemon: $out"

# --- stop: the daemon, then ExecStopPost undoes every step
stop_unit a || fail "a's ExecStopPost failed: $STEP_OUT"
stop_unit b || fail "b's ExecStopPost failed: $STEP_OUT"
nothing_left a "stop"
nothing_left b "stop"
[[ $(cat "$HOOKS") == $'pre-up vlan3\npost-up vlan3\npre-down vlan3\npost-down vlan3' ]] ||
  fail "hooks after the stop: $(cat "$HOOKS")"

# --- Restart=on-failure: the daemon dies, systemd runs ExecStopPost, then starts again
start_unit b || die "b's second start: $STEP_OUT"
wait_for 10 grep -qs "tunnel vlan3 up" "${DLOG[b]}" || fail "b's daemon did not come up: $(cat "${DLOG[b]}")"
[[ -e /run/vnddvpnd/vlan3@net${INO[b]}.pid ]] || fail "b's daemon has no pidfile"
{ kill -9 "${DAEMON[b]}"; wait "${DAEMON[b]}"; } 2>/dev/null
DAEMON[b]=
stop_unit b || fail "ExecStopPost after the daemon died: $STEP_OUT"
nothing_left b "after the daemon died"
start_unit b || fail "the restart after the daemon died: $STEP_OUT"
start_unit a || fail "a's start for the restart: $STEP_OUT"
wait_ping a 192.168.3.2 15 || fail "no tunnel after the restart"
stop_unit a || fail "a's stop after the restart: $STEP_OUT"
stop_unit b || fail "b's stop after the restart: $STEP_OUT"
nothing_left b "stop after the restart"

# --- a failing PostUp: ExecStartPre fails with nothing left; ExecStopPost (run
# after a failed start) has nothing to undo and says nothing
b_conf "PostUp = exit 3"
start_unit b && fail "a start with a failing PostUp succeeded"
[[ $STEP_OUT == *"PostUp command 'exit 3' failed (exit status 3) (nothing is left of the up)"* ]] ||
  fail "failing PostUp: $STEP_OUT"
nothing_left b "failed start"
stop_unit b || fail "ExecStopPost after a failed start: $STEP_OUT"
[[ -z $STEP_OUT ]] || fail "ExecStopPost after a failed start printed: $STEP_OUT"

# --- an interrupted start (killed in a hanging PostUp, as a start timeout does)
b_conf "PostUp = echo \$\$ >$TVPN_TMP/hook.pid; exec sleep 60"
pre=${START_PRE[0]#[-+]}
read -ra words <<<"${pre#[-+]}"
start_bg b "$TVPN_TMP/pre-b.log" nsenter --target "${TVPN_ETC_HOLDER[b]}" --mount --net -- "${words[@]}"
pre=$LAST_PID
hook_pid() { cat "$TVPN_TMP/hook.pid" 2>/dev/null; }
wait_for 30 hook_pid >/dev/null || fail "the hanging PostUp did not start: $(cat "$TVPN_TMP/pre-b.log")"
{ kill -9 "$pre"; wait "$pre"; } 2>/dev/null
[[ -n $(hook_pid) ]] && kill "$(hook_pid)" 2>/dev/null
[[ -e $(record b) ]] || fail "the interrupted start left no record"
stop_unit b || fail "ExecStopPost after an interrupted start: $STEP_OUT"
nothing_left b "interrupted start"

# --- 'vnddconfig up' had set vlan3 up: the unit's start is refused and its
# ExecStopPost leaves that up alone; 'vnddconfig down' then removes it
b_conf
out=$(on_host b "$BUILD/vnddconfig" up vlan3 2>&1) || fail "vnddconfig up on b: $out"
start_unit b && fail "the unit started over an interface vnddconfig up had set up"
stop_unit b && fail "ExecStopPost took the record of a plain up for its own"
[[ $STEP_OUT == *"vlan3 was set up by 'vnddconfig up vlan3', which also started its daemon: 'vnddconfig down vlan3'"* ]] ||
  fail "ExecStopPost over a plain up: $STEP_OUT"
in_ns b ip link show vlan3 >/dev/null 2>&1 || fail "the unit's failed start removed the interface of vnddconfig up"
[[ -e /run/vnddvpnd/vlan3@net${INO[b]}.pid ]] || fail "the unit's failed start stopped the daemon of vnddconfig up"
out=$(on_host b "$BUILD/vnddconfig" down vlan3 2>&1) || fail "vnddconfig down on b: $out"
nothing_left b "down after the refused start"

((failures == 0)) || { echo "$failures failures"; exit 1; }
echo "ok: the unit's ExecStartPre/ExecStart/ExecStopPost set vlan3 up as the file says, tunnel, and leave nothing; failed, interrupted and refused starts too"
