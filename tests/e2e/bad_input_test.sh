#!/usr/bin/env bash
# Bad input to both tools: one clear line, a non-zero exit, nothing changed.
set -u
. "$(dirname "$0")/../lib/netns.sh"

make_host a && make_host b || exit 1
link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || exit 1
in_ns a "$BUILD/vnddconfig" add vlan3 || exit 1
in_ns a "$BUILD/vnddconfig" add vlan4 || exit 1

links_before=$(in_ns a ip -o link | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
failures=0
# expect_fail TOOL_AND_ARGS... -- EXPECTED_SUBSTRING
expect_fail() {
  local args=() expected
  while [[ $1 != -- ]]; do args+=("$1"); shift; done
  expected=$2
  local out rc
  out=$(in_ns a timeout 10 "${args[@]}" 2>&1 </dev/null); rc=$?
  LAST_OUT=$out
  if ((rc == 0)) || [[ $out != *"$expected"* ]]; then
    echo "FAILED: ${args[*]##*/} -> exit $rc, output: $out (expected '$expected')"
    failures=$((failures + 1))
  fi
}
C=$BUILD/vnddconfig D=$BUILD/vnddvpnd
expect_fail "$C" add -- "needs an interface name"
expect_fail "$C" add abcdefghijklmnop -- "longer than 15 bytes"
expect_fail "$C" add a/b -- "contains '/'"
expect_fail "$C" add "a b" -- "contains '/'"
expect_fail "$C" add x0 mac 01:00:5e:00:00:01 -- "is multicast"
expect_fail "$C" add x0 mac 02:00:5e:00:00 -- "malformed"
expect_fail "$C" add x0 mac zz:00:5e:00:00:01 -- "malformed"
expect_fail "$C" add x0 mtu 10 -- "out of range"
expect_fail "$C" add x0 mtu 70000 -- "out of range"
expect_fail "$C" add x0 mtu 0 -- "out of range"
expect_fail "$C" add x0 mtu abc -- "bad MTU"
expect_fail "$C" add x0 mtu -- "missing value"
expect_fail "$C" add x0 colour blue -- "unknown option"
expect_fail "$C" add vlan3 -- "already exists"
expect_fail "$C" add wan0 -- "already exists"
expect_fail "$C" remove nosuch0 -- "does not exist"
expect_fail "$C" remove wan0 -- "not a TAP interface"
expect_fail "$C" frobnicate -- "unknown command"
expect_fail "$C" -backend foo list -- "unknown backend"
expect_fail "$C" status vlan3 -pidfile vlan3.pid -- "absolute path"
expect_fail "$C" status vlan3 extra -- "unknown option 'extra' for status"
expect_fail setpriv --reuid=65534 --regid=65534 --clear-groups "$C" add x0 -- "must be run as root"
expect_fail setpriv --reuid=65534 --regid=65534 --clear-groups "$C" remove vlan3 -- "must be run as root"

expect_fail "$D" -frob -- "unknown option '-frob'"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 -- "needs 5 arguments"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 -daemonize -- "looks like an option"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 0 -- "bad port '0'"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 any 33000 -pwd "plaid ferry orbit candle" -- "REMOTE_IP any goes with REMOTE_PORT 0"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 any 0 -- "needs -pwd"
expect_fail "$D" -tunnel vlan3 198.51.100.1 0 any 0 -pwd "plaid ferry orbit candle" -- "fixed LOCAL_PORT"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -name 'a b' -- "-name 'a b'"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -keepalive 5 -- "-keepalive needs -pwd"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 70000 -- "bad port '70000'"
expect_fail "$D" -tunnel vlan3 198.51.100.1 abc 198.51.100.2 33000 -- "bad port 'abc'"
expect_fail "$D" -tunnel abcdefghijklmnop 198.51.100.1 33000 198.51.100.2 33000 -- "longer than 15"
expect_fail "$D" -tunnel nosuch0 198.51.100.1 33000 198.51.100.2 33000 -- "nosuch0 does not exist"
expect_fail "$D" -tunnel wan0 198.51.100.1 33000 198.51.100.2 33000 -- "not a TAP interface"
expect_fail "$D" -tunnel vlan3 198.51.100.99 33000 198.51.100.2 33000 -- "cannot bind UDP 198.51.100.99:33000"
expect_fail "$D" -tunnel vlan3 no-such-host.invalid 33000 198.51.100.2 33000 -- "cannot resolve"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 2001:db8::2 33000 -- "remote address"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -tunnel vlan3 198.51.100.1 33001 198.51.100.2 33001 -- "has two peers named 'vlan3'"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd -- "missing KEY"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -rekey 2 -- "-rekey needs -pwd"
expect_fail "$D" -rekey 2 -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -- "-rekey needs -pwd"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd k -cipher des -rekey 2 -- "-rekey does nothing with -cipher des"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -cipher des -- "-cipher des needs -pwd"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -backend foo -- "unknown backend"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -backend vndd -- "vndd backend"
expect_fail setpriv --reuid=65534 --regid=65534 --clear-groups "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -- "must be run as root"
# Passwords refused before anything is set up, in one line: a DES password
# (public: recoverable from its traffic) on a -pwd tunnel too, and a -pwd
# password weaker than 37 bits without -weak-pwd-ok.
one_line() {
  [[ $(wc -l <<<"$LAST_OUT") == 1 ]] || { echo "FAILED: not one line: $LAST_OUT"; failures=$((failures + 1)); }
}
strong="plaid ferry orbit candle"
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "$strong" \
  -tunnel vlan4 198.51.100.1 33001 198.51.100.2 33001 -pwd "$strong" -cipher des -- "uses the password of tunnel vlan4 (-cipher des)"
one_line
expect_fail "$D" -pwd "$strong" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 \
  -tunnel vlan4 198.51.100.1 33001 198.51.100.2 33001 -cipher des -weak-pwd-ok -- "treat it as public"
one_line
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "correct horse" -- "is too weak"
one_line
[[ $LAST_OUT == *"37 needed"*"-weak-pwd-ok"* ]] || { echo "FAILED: no threshold or way out in: $LAST_OUT"; failures=$((failures + 1)); }
[[ $LAST_OUT != *"correct horse"* ]] || { echo "FAILED: the error shows the password: $LAST_OUT"; failures=$((failures + 1)); }
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -weak-pwd-ok -- "-weak-pwd-ok needs -pwd"
# A second tunnel that fails leaves the first one not attached either.
expect_fail "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -tunnel nosuch0 198.51.100.1 33001 198.51.100.2 33001 -- "nosuch0 does not exist"

# Without arguments both print their usage and succeed.
in_ns a "$C" | grep -q "usage: vnddconfig" || { echo "FAILED: vnddconfig usage"; failures=$((failures + 1)); }
in_ns a "$D" | grep -q "usage: vnddvpnd" || { echo "FAILED: vnddvpnd usage"; failures=$((failures + 1)); }

# Nothing changed: same interfaces, vlan3 not attached, no daemon, no pidfile.
links_after=$(in_ns a ip -o link | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
[[ $links_before == "$links_after" ]] || { echo "FAILED: interfaces changed: $links_before -> $links_after"; failures=$((failures + 1)); }
for i in vlan3 vlan4; do
  in_ns a "$C" list | grep -Eq "^$i .* no$" || { echo "FAILED: $i left attached"; failures=$((failures + 1)); }
done
ino=$(in_ns a stat -L -c %i /proc/self/ns/net)
for i in vlan3 vlan4; do
  [[ ! -e /run/vnddvpnd/$i@net$ino.pid ]] || { echo "FAILED: $i pidfile left behind"; failures=$((failures + 1)); }
done

# remove refuses while a daemon holds the interface, works after. The daemon
# has a weak password the user insisted on: it starts and warns.
start_bg a "$TVPN_TMP/a.log" "$D" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pwd "correct horse" -weak-pwd-ok
wait_for 10 sh -c "ip netns exec $(ns a) $C list | grep -q 'pid $LAST_PID'" || { echo "FAILED: daemon not listed"; failures=$((failures + 1)); }
grep -q "warning: tunnel vlan3: the -pwd KEY is weaker than 37 bits" "$TVPN_TMP/a.log" ||
  { echo "FAILED: no warning for the weak password: $(cat "$TVPN_TMP/a.log")"; failures=$((failures + 1)); }
expect_fail "$C" remove vlan3 -- "in use by process $LAST_PID"
stop_pid "$LAST_PID"
in_ns a "$C" remove vlan3 || { echo "FAILED: remove after the daemon stopped"; failures=$((failures + 1)); }
in_ns a ip link show vlan3 >/dev/null 2>&1 && { echo "FAILED: vlan3 still exists"; failures=$((failures + 1)); }
in_ns a "$C" add vlan5 mtu 9000 mac 02:11:22:33:44:55 noarp || { echo "FAILED: add with options"; failures=$((failures + 1)); }
in_ns a ip link show vlan5 | grep -q "NOARP" && in_ns a ip link show vlan5 | grep -q "mtu 9000" &&
  in_ns a ip link show vlan5 | grep -q "02:11:22:33:44:55" || { echo "FAILED: add options not applied"; failures=$((failures + 1)); }

((failures == 0)) || { echo "$failures bad-input checks failed"; exit 1; }
