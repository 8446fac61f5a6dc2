#!/usr/bin/env bash
# packaging/vnddvpnd@.service passes `systemd-analyze verify` (syntax, known
# keys, commands that exist: the built ones stand in for the installed) and
# is the Type=notify service vnddvpnd implements: READY=1 from the main
# process, a watchdog, reload by SIGHUP. Skipped where systemd-analyze is missing.
set -u
: "${BUILD:?BUILD must name the build directory}"
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 0; }
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

sed "s|@SBINDIR@|$BUILD|g" "$here/packaging/vnddvpnd@.service" >"$tmp/vnddvpnd@.service"
# --man=no: the pages of Documentation= are not installed here (and man may
# not be); that each is one of ours is checked below instead.
out=$(cd "$tmp" && systemd-analyze verify --man=no "$tmp/vnddvpnd@.service" 2>&1) || fail "systemd-analyze verify: $out"
# verify reports some problems without failing: none is expected here.
[[ -z $out ]] || fail "systemd-analyze verify says: $out"

# A unit that systemd-analyze refuses, so that the check above can fail.
sed 's/^Type=notify/Type=notifyy/' "$tmp/vnddvpnd@.service" >"$tmp/bad@.service"
out=$(cd "$tmp" && systemd-analyze verify --man=no "$tmp/bad@.service" 2>&1)
[[ -n $out ]] || fail "systemd-analyze verify did not notice a bad Type"

unit=$here/packaging/vnddvpnd@.service
docs=$(sed -n 's/^Documentation=//p' "$unit")
[[ -n $docs ]] || fail "the unit has no Documentation="
for page in $docs; do
  [[ $page =~ ^man:([a-z.]+)\(([0-9])\)$ ]] || { fail "Documentation= names '$page', not a man page"; continue; }
  [[ -f "$here/docs/${BASH_REMATCH[1]}.${BASH_REMATCH[2]}" ]] || fail "Documentation= names $page, which docs/ does not hold"
done
for line in 'Type=notify' 'NotifyAccess=main' 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done
wd=$(sed -n 's/^WatchdogSec=\([0-9]*\)s$/\1/p' "$unit")
[[ -n $wd ]] && ((wd >= 10 && wd <= 120)) || fail "WatchdogSec is not between 10 s and 120 s: '$wd'"

((failures == 0)) && echo "PASS: vnddvpnd@.service verifies and is Type=notify with a watchdog and reload"
exit $((failures > 0))
