#!/usr/bin/env bash
# After set-up vnddvpnd drops what it does not need (issue 13), both ways it
# is started: h1 as root by -config with User= (vnddconfig up's way), h2 as
# that user with CAP_NET_ADMIN as its only, ambient, capability (the unit's
# way). Each then runs as the user (a system user of this test's own, removed
# at the end) with no groups, no capabilities, NoNewPrivs and the seccomp
# filter (/proc/PID/status); their password files are root:USER 0640 (only
# the daemon's group may read them); the -pwd tunnel carries pings both
# ways, rekeys (every 3 s) and handshakes again when h2 restarts; h2 removes
# its pidfile and control socket at exit; and what an attacker holding that
# user's id elsewhere would try, reading the daemon's memory or environment
# through /proc, is refused (it is not dumpable). A user that does not exist
# is one clear error.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -rekey 3
user=tvpnpd$$
etc=$(mktemp -d /tmp/tvpn-drop-etc.XXXXXX) run=$(mktemp -d /tmp/tvpn-drop-run.XXXXXX)
trap 'tvpn_cleanup; rm -rf "$etc" "$run"; userdel "$user" 2>/dev/null; groupdel "$user" 2>/dev/null' EXIT
useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" ||
  fail "cannot create the test user $user"
uid=$(id -u "$user") gid=$(id -g "$user")
# As packaged: /etc/tvpn root:tvpn 0750 with files root:tvpn 0640, /run/vnddvpnd root:tvpn 1770.
chown "root:$user" "$etc" "$run" && chmod 0750 "$etc" && chmod 1770 "$run" || fail "cannot set up $etc and $run"
pw="dropped privileges lantern quiver basalt"
for f in h1.key h2.key; do
  printf '%s\n' "$pw" >"$etc/$f" && chown "root:$user" "$etc/$f" && chmod 0640 "$etc/$f" || fail "cannot write $f"
done
cat >"$etc/vlan3.conf" <<EOF
[Interface]
ListenAddress = 198.51.100.1
ListenPort = 33000
User = $user
PasswordFile = $etc/h1.key
[Peer]
Name = h2
Endpoint = 198.51.100.2:33000
EOF
chown "root:$user" "$etc/vlan3.conf" && chmod 0640 "$etc/vlan3.conf"

readme_topology || fail "topology"
out=$(in_ns h1 "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -user "nosuch$$" 2>&1)
rc=$?
((rc == 2)) && [[ $out == *"user 'nosuch$$' (-user or User=) does not exist"* ]] ||
  fail "a missing -user: exit $rc, $out"

DLOG[h1]=$TVPN_TMP/h1.log
start_bg h1 "${DLOG[h1]}" "$BUILD/vnddvpnd" -config "$etc/vlan3.conf" -rekey 3 -pidfile "$run/h1.pid"
DPID[h1]=$LAST_PID
# start_h2: vnddvpnd as the user from the start, CAP_NET_ADMIN its only capability.
start_h2() {
  DAEMON_RUNS=$((DAEMON_RUNS + 1))
  DLOG[h2]=$TVPN_TMP/h2.$DAEMON_RUNS.log
  start_bg h2 "${DLOG[h2]}" setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=+net_admin \
    --ambient-caps=+net_admin -- "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000 \
    -pwd-file "$etc/h2.key" -rekey 3 -pidfile "$run/h2.pid"
  DPID[h2]=$LAST_PID
}
start_h2
wait_ping lan1 192.168.2.10 15 || fail "the tunnel did not come up"
wait_ping lan2 192.168.1.10 5 || fail "no ping from lan2 to lan1"

# confined HOST: its daemon's /proc/PID/status shows every privilege gone.
confined() {
  local status line want
  status=$(cat "/proc/${DPID[$1]}/status") || fail "$1: vnddvpnd is gone"
  for want in "Uid:	$uid	$uid	$uid	$uid" "Gid:	$gid	$gid	$gid	$gid" "Groups:	" \
    "CapInh:	0000000000000000" "CapPrm:	0000000000000000" "CapEff:	0000000000000000" \
    "CapAmb:	0000000000000000" "NoNewPrivs:	1" "Seccomp:	2"; do
    line=$(grep "^${want%%:*}:" <<<"$status")
    [[ ${line%"${line##*[![:space:]]}"} == "${want%"${want##*[![:space:]]}"}" ]] || fail "$1: '$line', expected '$want'"
  done
  echo "$1: $(grep -E '^(Uid|CapEff|NoNewPrivs|Seccomp):' <<<"$status" | tr -s '\t\n' '  ')"
}
confined h1
confined h2
grep -q '^CapBnd:	0000000000000000' "/proc/${DPID[h1]}/status" || fail "h1 (started as root) kept a bounding set"

# The same user elsewhere (an attacker with its id) reads nothing of the daemon.
as_user() { setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"; }
for h in h1 h2; do
  for f in environ mem; do
    as_user cat "/proc/${DPID[$h]}/$f" >/dev/null 2>&1 && fail "user $user could read $h's /proc/PID/$f"
  done
done
echo "user $user cannot read the daemon's environ or memory (not dumpable)"

transfer "TCP through the confined daemons" lan1 lan2 192.168.2.10 4
# h1_rekeys: the rekeys h1's status counts (SIGUSR1, as root to the user's process).
h1_rekeys() {
  daemon_status h1
  local n
  n=$(grep -o 'rekeys=[0-9]*' <<<"$STATUS" | tail -n1 | cut -d= -f2)
  echo "${n:-0}"
}
deadline=$((SECONDS + 20))
until (($(h1_rekeys) >= 2)) || ((SECONDS >= deadline)); do sleep 1; done
rekeys=$(h1_rekeys)
((rekeys >= 2)) || fail "only $rekeys rekeys in 20 s at -rekey 3"
echo "h1 rekeyed $rekeys times after the drop"
wait_ping lan1 192.168.2.10 5 || fail "no ping after the rekeys"

# h2 restarts: a fresh handshake with the confined h1; h2 (its user owns its
# pidfile and control socket in the sticky directory) removes them at exit.
[[ -S $run/h2.ctl ]] || fail "no control socket at $run/h2.ctl"
stop_daemon h2
[[ ! -e $run/h2.pid && ! -e $run/h2.ctl ]] || fail "h2 left its pidfile or control socket: $(ls "$run")"
start_h2
wait_ping lan1 192.168.2.10 20 || fail "no new handshake with the confined h1 after h2 restarted"
confined h2
status=$(in_ns h1 "$BUILD/vnddconfig" status vlan3 -pidfile "$run/h1.pid" 2>&1) || fail "vnddconfig status: $status"
grep -q "tunnel vlan3: 198.51.100.1:33000 -> 198.51.100.2:33000" <<<"$status" || fail "status lacks the tunnel: $status"
for h in h1 h2; do stop_daemon "$h"; done
[[ ! -e $run/h1.pid && ! -e $run/h1.ctl ]] || fail "h1 left its pidfile or control socket: $(ls "$run")"
echo "ok: both daemons run as $user without privileges under the filter, and the tunnel works"
