#!/usr/bin/env bash
# Both tools: --help and -h print the usage and succeed, --version prints the
# version debian/changelog names, and a mistake is one line on stderr (the
# usage only on request). Needs the built tools (BUILD), not root.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
want=$(sed -n '1s/^tvpn (\([^)]*\)).*/\1/p' "$root/debian/changelog")
[[ -n $want ]] || fail "no version in debian/changelog"
for tool in vnddconfig vnddvpnd; do
  for flag in --help -h; do
    out=$("$BUILD/$tool" "$flag" 2>&1); rc=$?
    ((rc == 0)) || fail "$tool $flag exits $rc"
    [[ $out == "usage: $tool"* ]] || fail "$tool $flag does not print the usage"
  done
  out=$("$BUILD/$tool" --version 2>&1); rc=$?
  ((rc == 0)) || fail "$tool --version exits $rc"
  [[ $out == "$tool (TVPN) $want" ]] || fail "$tool --version prints '$out', debian/changelog says $want"
  err=$("$BUILD/$tool" -frobnicate 2>&1 >/dev/null); rc=$?
  ((rc != 0)) || fail "$tool -frobnicate succeeds"
  [[ $(wc -l <<<"$err") == 1 && $err == *"--help"* ]] || fail "$tool's error is not one line naming --help: $err"
done
((failures == 0)) || exit 1
echo "ok: --help, -h and --version on both tools; errors are one line"
