#!/usr/bin/env bash
# Two ends with different passwords: no frame gets through either way, both
# daemons say clearly in their logs that the handshake failed, neither
# crashes, and both stop cleanly. The fail2ban filter in packaging/ finds
# every failed-guess line they wrote, each naming the peer's address. Then a
# peer with no -pwd at all: nothing it sends reaches the -pwd end's interface.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "right horse olive kettle"
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "wrong horse olive kettle"

# Both ends try, and keep retrying, for a while.
in_ns h1 ping -c 8 -i 0.5 -W 1 192.168.3.2 >/dev/null 2>&1 && fail "ping went through with different passwords"
in_ns lan2 ping -c 4 -i 0.5 -W 1 192.168.1.10 >/dev/null 2>&1 && fail "lan2 reached lan1 with different passwords"

# A clear line on both sides, naming what went wrong.
pattern='password|authenticat|key confirmation|handshake.*(fail|reject|invalid)'
for h in h1 h2; do
  alive "$h"
  line=$(grep -E -i -m1 "$pattern" "${DLOG[$h]}") || fail "$h: no log line about the failed handshake (wanted /$pattern/)"
  echo "$h says: $line"
  daemon_status "$h"
  (($(frames in) == 0)) || fail "$h: $(frames in) frames delivered to the interface with a wrong password"
  grep -q "neither encrypted nor authenticated" "${DLOG[$h]}" && fail "$h: fell back to clear text"
done
for h in h1 h2; do stop_daemon "$h"; done
echo "wrong password: no traffic, a clear log line on both sides, clean exits"

# fail2ban-regex with packaging/fail2ban/filter.d/tvpn.conf (next to fail2ban's
# common.conf, which it includes) over the daemons' own lines, given the date,
# host and "vnddvpnd[pid]:" prefix that syslog and the journal put in front
# (the journal takes the "<4>" priority prefix off a line).
command -v fail2ban-regex >/dev/null || fail "fail2ban-regex is missing (scripts/install-deps.sh check)"
filters=$TVPN_TMP/fail2ban/filter.d
mkdir -p "$filters"
cp "$(dirname "$0")/../../packaging/fail2ban/filter.d/tvpn.conf" "$filters/"
ln -s /etc/fail2ban/filter.d/common.conf "$filters/common.conf"
declare -A peer_of=([h1]=198.51.100.2 [h2]=198.51.100.1)
for h in h1 h2; do
  lines=$(grep -c 'tvpn: authentication failed from' "${DLOG[$h]}")
  ((lines >= 2)) || fail "$h: $lines failed-guess lines"
  sed 's/^<[0-7]>//; s/^/Jan  2 10:00:00 gw vnddvpnd[4242]: /' "${DLOG[$h]}" >"$TVPN_TMP/$h.syslog"
  out=$(fail2ban-regex -v "$TVPN_TMP/$h.syslog" "$filters/tvpn.conf" 2>&1) || fail "$h: fail2ban-regex failed: $out"
  matched=$(sed -n 's/^Lines: .* \([0-9]*\) matched.*/\1/p' <<<"$out")
  [[ "$matched" == "$lines" ]] || fail "$h: fail2ban matched ${matched:-no} of $lines failed-guess lines: $out"
  hosts=$(sed -n '/^Failregex/,/^Ignoreregex/p' <<<"$out" | awk '$2 ~ /^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$/ {print $2}' | sort -u)
  [[ "$hosts" == "${peer_of[$h]}" ]] || fail "$h: fail2ban would ban '${hosts//$'\n'/ }', not the peer ${peer_of[$h]}"
  echo "$h: fail2ban matches all $lines failed-guess lines, host ${peer_of[$h]}"
done

# A peer without -pwd at all: its clear frames never reach h1's interface.
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "right horse olive kettle"
start_daemon h2 198.51.100.2 198.51.100.1
in_ns h2 ping -c 6 -i 0.5 -W 1 192.168.3.1 >/dev/null 2>&1 && fail "ping went through between -pwd and clear text"
alive h1
daemon_status h1
(($(frames in) == 0)) || fail "h1 (-pwd) delivered $(frames in) frames from a clear-text peer"
(($(drops_total) > 0)) || fail "h1 (-pwd) did not count the clear-text datagrams as drops"
echo "h1: $(grep drops: <<<"$STATUS" | tail -n1 | sed 's/^ *//')"
for h in h1 h2; do stop_daemon "$h"; done
echo "ok: wrong password or none: no traffic, a clear log line on both sides, clean exits"
