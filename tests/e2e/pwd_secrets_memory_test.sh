#!/usr/bin/env bash
# An attacker's look for the password in a running daemon: a hub with two
# -pwd tunnels, started alone 8 times, then with two spokes, handshakes done
# (one password before both -tunnel groups; then one given to each group,
# short enough for std::string's inline buffer); each time every readable
# mapping of each daemon is searched
# for the password, and for every 8-byte piece of it (tests/tools/mem_find,
# as root through /proc/PID/mem). No piece may be anywhere, while the
# interface name, the positive control, is.
# The hub must not be dumpable: a root process without CAP_SYS_PTRACE may not
# open its /proc/PID/mem, although it may open that of a dumpable process
# started the same way; and started with an unlimited core size, the hub
# must have lowered the limit to 0.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
hub_topology || fail "topology"

# A root process without CAP_SYS_PTRACE: the kernel lets it open the memory
# of a process with the same uid and capabilities only while that one is
# dumpable (the rule core dumps and ptrace follow too).
no_ptrace=(setpriv --inh-caps=-sys_ptrace --bounding-set=-sys_ptrace)
# opens_mem PID: whether such a process can open PID's /proc/PID/mem.
opens_mem() { "${no_ptrace[@]}" sh -c 'exec 3<"/proc/$1/mem"' sh "$1" 2>/dev/null; }

# windows STRING: every 8-byte piece of STRING, one a line: a copy with its
# first byte zeroed (what moving a short std::string leaves behind) or cut
# short is still a leak.
windows() {
  local i
  for ((i = 0; i + 8 <= ${#1}; i++)); do echo "${1:i:8}"; done
}

# scan WHAT PID PASSWORD CONTROL: fails when any 8-byte piece of PASSWORD is
# in PID's memory, or CONTROL is not on its heap, or its stack was not searched.
scan() {
  local what=$1 pid=$2 password=$3 control=$4
  local out pieces leaks
  mapfile -t pieces < <(windows "$password")
  out=$("$BUILD/tools/mem_find" "$pid" "$control" "${pieces[@]}") || fail "$what: mem_find: $out"
  echo "$what: $(tail -n1 <<<"$out")"
  grep -q "stack yes" <<<"$out" || fail "$what: the stack was not searched: $out"
  # The control lives in the tunnel's objects: on the heap ([heap], or
  # anonymous mappings under AddressSanitizer), not only in argv on the stack.
  grep -E -q "^found [1-9][0-9]* $control .*in \[(heap|anon)\]" <<<"$out" ||
    fail "$what: the control string '$control' was not found on the heap: $(head -n1 <<<"$out")"
  leaks=$(tail -n +2 <<<"$out" | grep '^found [1-9]')
  [[ -z $leaks ]] || fail "$what: pieces of the password are in the daemon's memory: $(tr '\n' ';' <<<"$leaks")"
}

# round NAME PASSWORD HUB_ARGS...: the hub with HUB_ARGS, spokes with PASSWORD.
round() {
  local name=$1 password=$2; shift 2
  start_bg hub "$TVPN_TMP/hub-$name.log" "${no_ptrace[@]}" prlimit --core=unlimited "$BUILD/vnddvpnd" "$@"
  local hub=$LAST_PID
  wait_for 30 grep -qs "tunnel vlan4 up" "$TVPN_TMP/hub-$name.log" || fail "$name: the hub did not start"
  scan "$name: hub, started" "$hub" "$password" vlan4
  start_bg s1 "$TVPN_TMP/s1-$name.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 -pwd "$password"
  local s1=$LAST_PID
  start_bg s2 "$TVPN_TMP/s2-$name.log" "$BUILD/vnddvpnd" -tunnel vlan4 203.0.113.2 33000 203.0.113.1 33000 -pwd "$password"
  local s2=$LAST_PID
  wait_ping s1 192.168.3.1 20 || fail "$name: s1 cannot reach the hub"
  wait_ping s2 192.168.4.1 20 || fail "$name: s2 cannot reach the hub"

  scan "$name: hub, handshakes done" "$hub" "$password" vlan4
  scan "$name: s1" "$s1" "$password" vlan3
  scan "$name: s2" "$s2" "$password" vlan4

  local core
  core=$(awk '/^Max core file size/ {print $5, $6}' "/proc/$hub/limits")
  [[ $core == "0 0" ]] || fail "$name: the hub's core size limit is '$core', not 0 (soft and hard)"
  opens_mem "$hub" && fail "$name: the hub is dumpable: a root process without CAP_SYS_PTRACE opened its memory"
  echo "$name: hub not dumpable (its memory refused without CAP_SYS_PTRACE), core limit 0"

  for pid in "$hub" "$s1" "$s2"; do
    stop_pid "$pid" || fail "$name: vnddvpnd $pid did not stop on SIGTERM"
    ((STOP_RC == 0)) || fail "$name: vnddvpnd $pid exited with status $STOP_RC"
  done
  ! grep -q -E 'Sanitizer|runtime error:' "$TVPN_TMP"/*-"$name".log || fail "$name: a sanitizer report"
}

# The probe works: it opens the memory of a dumpable process started the same way.
start_bg hub "$TVPN_TMP/control.log" "${no_ptrace[@]}" sleep 60
control=$LAST_PID
wait_for 5 grep -qsx sleep "/proc/$control/comm" || fail "the control process did not start"
opens_mem "$control" ||
  fail "a root process without CAP_SYS_PTRACE cannot open a dumpable process's memory: the probe proves nothing"
stop_pid "$control"

long="memscan Quartz-Falcon 7Kp3 ledger Wx9r"
hub_args=(-tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -tunnel vlan4 203.0.113.1 33000 203.0.113.2 33000)
# First the hub alone, started several times: whether a register's leftover
# reaches the stack varies from start to start (about every other one when
# vnddvpnd was linked for lazy binding).
for run in 1 2 3 4 5 6 7 8; do
  start_bg hub "$TVPN_TMP/hub-start$run.log" "$BUILD/vnddvpnd" -pwd "$long" "${hub_args[@]}"
  pid=$LAST_PID
  wait_for 30 grep -qs "tunnel vlan4 up" "$TVPN_TMP/hub-start$run.log" || fail "start $run: the hub did not start"
  scan "start $run: hub" "$pid" "$long" vlan4
  stop_pid "$pid" || fail "start $run: vnddvpnd did not stop on SIGTERM"
done
round default "$long" -pwd "$long" "${hub_args[@]}"
short="Zq8v.Kp3m+Wx7r"  # 14 bytes: inside a std::string, not on the heap of its own
round each "$short" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "$short" \
  -tunnel vlan4 203.0.113.1 33000 203.0.113.2 33000 -pwd "$short"
echo "ok: the password is nowhere in the memory of a daemon with two -pwd tunnels, nor of its peers"
