#!/usr/bin/env bash
# vnddconfig status finds a daemon started with -pidfile PATH when given the
# same -pidfile PATH (its control socket is beside that pidfile); without it,
# the error says so; a pidfile of another interface's daemon is refused; the
# socket goes when the daemon stops.
set -u
. "$(dirname "$0")/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
C=$BUILD/vnddconfig D=$BUILD/vnddvpnd
in_ns a "$C" add vlan3 && in_ns a "$C" add vlan4 || exit 1
mkdir "$TVPN_TMP/run" || exit 1
p3=$TVPN_TMP/run/vlan3.pid p4=$TVPN_TMP/run/tunnel-four
start_bg a "$TVPN_TMP/a3.log" "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pidfile "$p3"
pid3=$LAST_PID
start_bg a "$TVPN_TMP/a4.log" "$D" -tunnel vlan4 198.51.100.1 33001 198.51.100.2 33001 -pidfile "$p4"
wait_for 5 test -S "$TVPN_TMP/run/vlan3.ctl" -a -S "$p4.ctl" ||
  { echo "control sockets not created beside the pidfiles"; ls -l "$TVPN_TMP/run"; cat "$TVPN_TMP"/a*.log; exit 1; }

status=$(in_ns a "$C" status vlan3 -pidfile "$p3" 2>&1) || { echo "status with -pidfile failed: $status"; exit 1; }
[[ $status == *"tunnel vlan3: 198.51.100.1:33000 -> 198.51.100.2:33000"* ]] || { echo "status lacks the tunnel: $status"; exit 1; }
status=$(in_ns a "$C" status vlan4 -pidfile "$p4" 2>&1) || { echo "status of a pidfile without .pid failed: $status"; exit 1; }
[[ $status == *"tunnel vlan4: "* ]] || { echo "status lacks vlan4: $status"; exit 1; }

out=$(in_ns a "$C" status vlan3 2>&1) && { echo "status found a daemon at the default path: $out"; exit 1; }
[[ $out == *"no vnddvpnd serves vlan3"*"add -pidfile PATH"* ]] || { echo "no -pidfile hint: $out"; exit 1; }
out=$(in_ns a "$C" status vlan4 -pidfile "$p3" 2>&1) && { echo "vlan3's daemon answered for vlan4: $out"; exit 1; }
[[ $out == *"does not serve vlan4"* ]] || { echo "unclear wrong-daemon error: $out"; exit 1; }
out=$(in_ns a "$C" status vlan3 -pidfile run/vlan3.pid 2>&1); rc=$?
((rc == 2)) && [[ $out == *"absolute path"* ]] || { echo "relative -pidfile: exit $rc, $out"; exit 1; }

stop_pid "$pid3" || { echo "daemon ignored SIGTERM"; exit 1; }
[[ ! -e $p3 && ! -e $TVPN_TMP/run/vlan3.ctl ]] || { echo "pidfile or control socket left behind"; exit 1; }
out=$(in_ns a "$C" status vlan3 -pidfile "$p3" 2>&1) && { echo "status of a stopped daemon succeeded: $out"; exit 1; }
[[ $out == *"no vnddvpnd serves vlan3"* && $out != *"add -pidfile"* ]] || { echo "unclear error after stop: $out"; exit 1; }
echo "ok: vnddconfig status -pidfile PATH reaches a daemon with a custom pidfile"
