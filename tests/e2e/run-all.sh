#!/usr/bin/env bash
# Runs every end-to-end test (tests/e2e/*_test.sh), each with a time limit.
# Exit code 77 from a test means skipped. Needs root (namespaces).
# usage: BUILD=/path/to/build tests/e2e/run-all.sh [PATTERN]
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BUILD:?BUILD must name the build directory}"
export BUILD
[[ $(id -u) == 0 ]] || { echo "e2e: the end-to-end tests need root (network namespaces)" >&2; exit 1; }
pattern=${1:-}
limit=${E2E_TIMEOUT:-300}
passed=0 failed=0 skipped=0 failures=()
for t in "$here"/*_test.sh; do
  name=$(basename "$t" .sh)
  [[ -n "$pattern" && "$name" != *$pattern* ]] && continue
  log=$(mktemp /tmp/tvpn-e2e.XXXXXX)
  start=$SECONDS
  timeout --kill-after=10 "$limit" bash "$t" >"$log" 2>&1
  rc=$?
  took=$((SECONDS - start))
  if ((rc == 0)); then
    passed=$((passed + 1)); echo "PASS  $name (${took}s)"
  elif ((rc == 77)); then
    skipped=$((skipped + 1)); echo "SKIP  $name: $(tail -n1 "$log")"
  else
    failed=$((failed + 1)); failures+=("$name")
    echo "FAIL  $name (exit $rc after ${took}s); its output:"
    sed 's/^/      /' "$log" | tail -n 40
  fi
  rm -f "$log"
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
