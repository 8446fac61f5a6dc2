#!/usr/bin/env bash
# -daemonize: the parent exits 0 once the tunnel is up, a pidfile holds the
# daemon's PID, a second daemon for the interface is refused, a start-up
# error reaches the parent's exit code, SIGTERM ends it and removes the pidfile.
set -u
. "$(dirname "$0")/../lib/netns.sh"

readme_topology || { echo "topology failed"; exit 1; }
ino=$(in_ns h1 stat -L -c %i /proc/self/ns/net)
pidfile=/run/vnddvpnd/vlan3@net$ino.pid

# Into a file, not $(...): without a syslog socket the daemon keeps its
# stderr for its log (tests/e2e/log_sinks_test.sh), and $(...) would wait for it.
in_ns h1 timeout 10 "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -daemonize \
  >"$TVPN_TMP/daemonize.out" 2>&1
rc=$?
out=$(cat "$TVPN_TMP/daemonize.out")
((rc == 0)) || { echo "daemonize exited $rc: $out"; exit 1; }
[[ -s $pidfile ]] || { echo "no pidfile at $pidfile"; exit 1; }
pid=$(cat "$pidfile")
TVPN_PIDS+=("$pid")
kill -0 "$pid" || { echo "pid $pid from pidfile is not running"; exit 1; }
[[ $(cat "/proc/$pid/comm") == vnddvpnd ]] || { echo "pidfile names $(cat /proc/$pid/comm)"; exit 1; }
in_ns h1 "$BUILD/vnddconfig" list | grep -Eq "^vlan3 .* pid $pid\$" || { echo "list does not show the daemon"; exit 1; }

start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
wait_ping lan1 192.168.2.10 10 || { echo "no traffic through the daemonized end"; exit 1; }
tcp_transfer lan1 lan2 192.168.2.10 4 || exit 1

# The control socket answers status for the daemon in the background.
status=$(in_ns h1 "$BUILD/vnddconfig" status vlan3) || { echo "vnddconfig status failed: $status"; exit 1; }
[[ $status == *"tunnel vlan3: 198.51.100.1:33000 -> 198.51.100.2:33000"* ]] || { echo "status lacks the tunnel: $status"; exit 1; }
frames=$(sed -n 's/.*out: \([0-9]*\) frames.*/\1/p' <<<"$status")
((frames > 100)) || { echo "status shows $frames frames out after a 4 MiB transfer"; exit 1; }
[[ $(stat -c %a "${pidfile%.pid}.ctl") == 600 ]] || { echo "control socket is not mode 600"; exit 1; }
out=$(in_ns h2 "$BUILD/vnddconfig" status vlan9 2>&1) && { echo "status of a daemon-less interface succeeded"; exit 1; }
[[ $out == *"no vnddvpnd serves vlan9"* ]] || { echo "unclear status error: $out"; exit 1; }

out=$(in_ns h1 timeout 10 "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33001 198.51.100.2 33001 -daemonize 2>&1)
(($? != 0)) && [[ $out == *"already serves vlan3"* ]] || { echo "second daemon not refused: $out"; exit 1; }

out=$(in_ns h1 timeout 10 "$BUILD/vnddvpnd" -tunnel nosuch0 198.51.100.1 33002 198.51.100.2 33002 -daemonize 2>&1)
(($? != 0)) && [[ $out == *"nosuch0 does not exist"* ]] || { echo "start-up error not reported: $out"; exit 1; }

kill -TERM "$pid"
wait_for 5 bash -c "! kill -0 $pid 2>/dev/null" || { echo "daemon ignored SIGTERM"; exit 1; }
[[ ! -e $pidfile ]] || { echo "pidfile left behind"; exit 1; }
[[ ! -e ${pidfile%.pid}.ctl ]] || { echo "control socket left behind"; exit 1; }
in_ns h1 "$BUILD/vnddconfig" list | grep -Eq "^vlan3 .* no\$" || { echo "vlan3 still attached"; in_ns h1 "$BUILD/vnddconfig" list; exit 1; }
