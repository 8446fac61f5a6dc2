#!/usr/bin/env bash
# The two benchmark writers share docs/BENCHMARKS.md: make bench (the host
# report, tests/bench/report.sh) and make bench VM=1 (tests/vm/bench.sh) each
# rewrite only their own marked section and keep the other's. Runs the real
# writer functions on temporary copies, with no benchmark; needs no root.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/bench/report.sh"   # write_report, and write_doc_section from tests/lib/bench_doc.sh
tmp=$(mktemp -d /tmp/tvpn-bench-doc.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
check() { local what=$1; shift; "$@" || { echo "FAILED: $what"; failures=$((failures + 1)); }; }
# section FILE NAME: the lines of FILE between the markers of NAME, markers included.
section() { sed -n "/^<!-- $2 -->\$/,/^<!-- \\/$2 -->\$/p" "$1"; }
count() { grep -c -x -- "$2" "$1"; }

# What write_report needs from bench.sh, measure.sh and paths.sh: every path
# "not measured", so that no result file is read.
PATHS=(raw tvpn tvpn_pwd openvpn wg)
declare -A PATH_LABEL PATH_NOTE PATH_MTU
for p in "${PATHS[@]}"; do PATH_LABEL[$p]="label-$p"; PATH_NOTE[$p]="not measured (bench_doc_test)"; done
REPS=1 TCP_SECONDS=1 UDP_SECONDS=1 PINGS=1 LOAD_START=0.00 VERSIONS="versions-of-bench_doc_test"
RATE_LOSS=0.1 RATE_SECONDS=1 LOAD_SECONDS=1 IDLE_TUNNELS=64 RATE_SIZES=(64) RATE_PATHS=(tvpn_pwd) BASE_REV=b79784d
RESULTS=$tmp/results

# 1. make bench on the committed document: the VM section stays byte for byte.
doc=$tmp/doc.md
cp "$root/docs/BENCHMARKS.md" "$doc"
previous_run=$(section "$doc" host-bench | grep -m1 '^- When: ')
vm_before=$(section "$doc" vm-bench)
check "the committed document has a VM section" test -n "$vm_before"
check "write_report succeeds" write_report "$doc"
check "make bench kept the VM section" test "$(section "$doc" vm-bench)" == "$vm_before"
check "the host section holds the new run" grep -q "versions-of-bench_doc_test" "$doc"
check "the committed host section names its run" test -n "$previous_run"
check "the previous host run is gone" test "$(count "$doc" "$previous_run")" == 0
check "one host section" test "$(count "$doc" "<!-- host-bench -->")" == 1
check "the title stays first" test "$(head -n1 "$doc")" == "# TVPN benchmarks"
check "the host section stays before the VM one" \
  test "$(grep -n -x '<!-- /host-bench -->' "$doc" | cut -d: -f1)" -lt "$(grep -n -x '<!-- vm-bench -->' "$doc" | cut -d: -f1)"

# 2. make bench VM=1 afterwards: the host section stays byte for byte; the body
# is written literally (backslashes, &, slashes).
host_before=$(section "$doc" host-bench)
vm_body='## vndd versus tap (bench_doc_test)
a \n backslash \\ & ampersand / slash | table |'
check "the VM writer succeeds" write_doc_section "$doc" vm-bench <<<"$vm_body"
check "make bench VM=1 kept the host section" test "$(section "$doc" host-bench)" == "$host_before"
check "the VM section is replaced, literally" \
  test "$(section "$doc" vm-bench)" == "$(printf '<!-- vm-bench -->\n%s\n<!-- /vm-bench -->' "$vm_body")"
check "one VM section" test "$(count "$doc" "<!-- vm-bench -->")" == 1

# 3. A document without a VM section gets one appended; the host part is kept.
printf '# TVPN benchmarks\n\n<!-- host-bench -->\nhost\n<!-- /host-bench -->\n' >"$tmp/hostonly.md"
check "append to a document without the section" write_doc_section "$tmp/hostonly.md" vm-bench <<<"vm"
check "appended after the host section" test "$(cat "$tmp/hostonly.md")" == \
  "$(printf '# TVPN benchmarks\n\n<!-- host-bench -->\nhost\n<!-- /host-bench -->\n\n<!-- vm-bench -->\nvm\n<!-- /vm-bench -->')"

# 4. A missing document is created with its title; a VM run first, then make
# bench, leaves both sections.
check "VM writer creates the document" write_doc_section "$tmp/new.md" vm-bench <<<"vm"
check "write_report on a document with only a VM section" write_report "$tmp/new.md"
check "new document: title" test "$(head -n1 "$tmp/new.md")" == "# TVPN benchmarks"
check "new document: VM section kept" test "$(section "$tmp/new.md" vm-bench)" == "$(printf '<!-- vm-bench -->\nvm\n<!-- /vm-bench -->')"
check "new document: host section added" grep -q "versions-of-bench_doc_test" "$tmp/new.md"

# 5. A section with no closing marker: refused, the document untouched.
printf '# TVPN benchmarks\n<!-- vm-bench -->\nold\nhost text after a broken marker\n' >"$tmp/broken.md"
cp "$tmp/broken.md" "$tmp/broken.orig"
check "an unclosed section is refused" bash -c '! write_doc_section "$1" vm-bench <<<"new" 2>/dev/null' _ "$tmp/broken.md"
check "the broken document is untouched" cmp -s "$tmp/broken.md" "$tmp/broken.orig"
check "no temporary file left" test ! -e "$tmp/broken.md.tmp"

((failures == 0)) || { echo "$failures bench document checks failed"; exit 1; }
echo "ok: each benchmark writer replaces only its own section of docs/BENCHMARKS.md"
