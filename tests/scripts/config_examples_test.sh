#!/usr/bin/env bash
# Every example configuration in docs/tvpn.conf.5 (each .EX block with an
# [Interface], marked '.\" example: DIR/IF.conf'), every
# packaging/*.conf.example and README's configuration files (examples marked
# file=/etc/tvpn/IF.conf) parse with the real reader (tests/tools/
# tvpn_conf_check), and the error shown in the man page is the one the
# reader prints, so the documentation cannot rot. No root, no network.
# usage: BUILD=/path/to/build tests/scripts/config_examples_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
check="$BUILD/tools/tvpn_conf_check"
[[ -x $check ]] || { echo "FAILED: $check is missing (make test-build)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

# The man page's examples, roff escapes undone, into $tmp/man/DIR/IF.conf.
# An [Interface] block without a marker is an error (printed as UNMARKED).
awk -v out="$tmp/man" '
  /^\.\\" example: / { name = $3; next }
  /^\.EX/ { inex = 1; buf = ""; next }
  /^\.EE/ {
    inex = 0
    if (buf ~ /\[Interface\]/) {
      if (name == "") { print "UNMARKED"; next }
      file = out "/" name; dir = file; sub(/\/[^\/]*$/, "", dir)
      system("mkdir -p \"" dir "\""); printf "%s", buf > file; close(file); print file
    }
    name = ""; next
  }
  inex { gsub(/\\-/, "-"); gsub(/\\\(aq/, "\047"); gsub(/\\&/, ""); gsub(/\\e/, "\\"); buf = buf $0 "\n" }
' "$root/docs/tvpn.conf.5" >"$tmp/extracted"
grep -q UNMARKED "$tmp/extracted" && fail "docs/tvpn.conf.5 has an example with [Interface] but no '.\\\" example: DIR/IF.conf' line before it"
man_examples=$(grep -vc UNMARKED "$tmp/extracted")
((man_examples >= 4)) || fail "found $man_examples examples in docs/tvpn.conf.5, expected the two-host and hub-and-spoke ones (4)"

# README's configuration files (examples marked file=/etc/tvpn/IF.conf) into
# $tmp/readme/HOST/IF.conf; readme_examples_test.sh runs them with vnddconfig up.
. "$root/tests/lib/readme_examples.sh"
readme_examples_load "$root/README.md" || fail "README.md's examples cannot be read"
readme_confs=0
for name in "${EX_ORDER[@]}"; do
  [[ ${EX_FILE[$name]} == /etc/tvpn/*.conf ]] || continue
  for h in ${EX_HOSTS[$name]//,/ }; do
    mkdir -p "$tmp/readme/$h"
    printf '%s' "${EX_TEXT[$name]}" >"$tmp/readme/$h/${EX_FILE[$name]##*/}"
    readme_confs=$((readme_confs + 1))
  done
done
((readme_confs >= 2)) || fail "found $readme_confs configuration files among README's examples, expected H1's and H2's"

mkdir -p "$tmp/pkg"
for f in "$root"/packaging/*.conf.example; do
  [[ -e $f ]] || { fail "no packaging/*.conf.example"; break; }
  cp "$f" "$tmp/pkg/$(basename "$f" .example)"
done

mapfile -t files < <(grep -v UNMARKED "$tmp/extracted"; ls "$tmp"/pkg/*.conf "$tmp"/readme/*/*.conf 2>/dev/null)
chmod 600 "${files[@]}"
while read -r line; do
  [[ $line == *": ok" ]] && echo "ok: ${line%: ok}" || fail "$line"
done < <("$check" "${files[@]}")

# The reader must be able to say no: the first example with a bad key.
bad="$tmp/vlan9.conf"
{ cat "${files[0]}"; echo "Bogus = 1"; } >"$bad"
chmod 600 "$bad"
"$check" "$bad" >/dev/null && fail "tvpn_conf_check accepted an unknown key"

# The error quoted in DESCRIPTION is the reader's, word for word.
doc_error=$(grep -m1 -E '^/etc/tvpn/vlan3.conf:[0-9]+: MTU: ' "$root/docs/tvpn.conf.5")
mkdir -p "$tmp/err"
printf '# line 1\n[Interface]\nListenPort = 4000\n\n\n\nMTU = 70000\n[Peer]\nName = b\nEndpoint = 198.51.100.2:4000\n' >"$tmp/err/vlan3.conf"
chmod 600 "$tmp/err/vlan3.conf"
got=$("$check" "$tmp/err/vlan3.conf")
[[ ${got#"$tmp/err"} == "${doc_error#/etc/tvpn}" ]] || fail "docs/tvpn.conf.5 shows the error '$doc_error', the reader prints '$got'"

((failures == 0)) || { echo "$failures example configuration problems"; exit 1; }
echo "ok: ${#files[@]} example configurations (docs/tvpn.conf.5, packaging/, README.md) parse, and the documented error is the reader's"
