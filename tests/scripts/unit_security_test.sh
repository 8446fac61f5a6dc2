#!/usr/bin/env bash
# The systemd unit packaging/vnddvpnd@.service (with @SBINDIR@ made the
# build directory, so that its commands exist): `systemd-analyze verify`
# finds nothing to say, and `systemd-analyze security --offline=true` rates
# its exposure at most 2.0 (issue 13; the unit as first shipped had 6.6).
# Needs the built tools (BUILD), not root; systemd-analyze comes with the
# systemd package (scripts/install-deps.sh check).
# usage: BUILD=/path/to/build tests/scripts/unit_security_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
max_exposure=2.0
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd: scripts/install-deps.sh check)"
  exit 0
fi
dir=$(mktemp -d /tmp/tvpn-unit.XXXXXX)
trap 'rm -rf "$dir"' EXIT
unit=$dir/vnddvpnd@.service
sed "s|@SBINDIR@|$(cd "$BUILD" && pwd)|g" "$root/packaging/vnddvpnd@.service" >"$unit"
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

out=$(cd "$dir" && systemd-analyze verify --man=no "./vnddvpnd@.service" 2>&1) || fail "systemd-analyze verify failed: $out"
[[ -z $out ]] || fail "systemd-analyze verify complains: $out"

report=$(cd "$dir" && systemd-analyze security --offline=true "./vnddvpnd@.service" 2>&1)
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' <<<"$report")
if [[ -z $exposure ]]; then
  fail "no exposure level in systemd-analyze security's report: $(tail -n 3 <<<"$report")"
elif ! awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'; then
  fail "exposure $exposure is above $max_exposure; what counts against it:"
  grep '✗' <<<"$report" | sed 's/^/    /'
fi
((failures == 0)) || exit 1
echo "ok: vnddvpnd@.service verifies cleanly, exposure $exposure (at most $max_exposure)"
