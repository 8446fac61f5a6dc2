#!/usr/bin/env bash
# make bench VM=1: the tap-versus-vndd comparison inside the test VM
# (tests/vm/guest/bench.sh), its table printed and written to
# docs/BENCHMARKS.md between the vm-bench markers (tests/lib/bench_doc.sh);
# the rest of that file belongs to the host benchmark (tests/bench/bench.sh)
# and is kept as is.
# Environment: BUILD (required), BENCH_OUT (docs/BENCHMARKS.md; empty: print only),
# VM_BENCH_REPS (rounds, 5).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_OUT=${BENCH_OUT-$repo/docs/BENCHMARKS.md}
log=$(mktemp /tmp/tvpn-vm-bench.XXXXXX)
trap 'rm -f "$log"' EXIT

VM_TIMEOUT=${VM_TIMEOUT:-1200} "$repo/tests/vm/run.sh" bench | tee "$log"
rc=${PIPESTATUS[0]}
grep -q '^done$' "$log" && ((rc == 0)) || { echo "vm-bench: the benchmark did not complete" >&2; exit 1; }
table=$(sed -n 's/^TABLE //p' "$log")
kver=$(sed -n 's/^VMTEST BOOTED //p' "$log" | head -1)
section="## vndd versus tap inside the test VM (make bench VM=1)

$(date -u '+%Y-%m-%d %H:%M UTC'), Debian kernel ${kver:-?} under QEMU TCG (2 emulated CPUs) on $(nproc)-core $(uname -m) host.
Both tunnels with \`-pwd\`, in the same VM, measured in alternating rounds.
Absolute numbers under emulation mean little; the ratio is the result.

$table"
echo; echo "$table"
[[ -n "$BENCH_OUT" ]] || exit 0
. "$repo/tests/lib/bench_doc.sh"
write_doc_section "$BENCH_OUT" vm-bench <<<"$section" || exit 1
echo "vm-bench: section written to $BENCH_OUT"
