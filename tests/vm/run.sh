#!/usr/bin/env bash
# The vnddmgr tests in real kernels: for each Debian 12 kernel series the
# module supports (6.1 and 6.12: the newest installed image of each that
# has its headers), builds the module against that kernel's headers, packs
# an initramfs with the tools and tests, boots the kernel under QEMU (TCG)
# and reads the results from the serial console. The kernels run one after
# the other. Fails on any failed check, on a missing kernel, on a VM that
# does not finish in time, and on any BUG/WARNING/Oops/leak/hang report in
# the kernel log.
# usage: BUILD=build tests/vm/run.sh         the tests, on every kernel
#        BUILD=build tests/vm/run.sh bench   tap vs vndd benchmark (tests/vm/guest/bench.sh) on
#                                            the newest kernel; the VMBENCH lines go to stdout
# env: VM_TIMEOUT   seconds per kernel (default 480)
#      VM_KERNELS   kernel versions to boot instead (e.g. "6.12.117+deb12-amd64")
#      VM_TESTS     only these guest tests, comma-separated (e.g. "io_test,pktgen_test";
#                   see tests/vm/guest/run-all.sh), for quicker iterations
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd)
timeout_s=${VM_TIMEOUT:-480}
mode=${1:-test}
series=(6.1 6.12)

die() { echo "vm-check: $*" >&2; exit 1; }

has_headers() { [[ -d /usr/src/linux-headers-$1 || -d /lib/modules/$1/build ]]; }

# The newest installed kernel of series $1 (e.g. 6.12) with image and headers.
newest_of() {
  local img v best=
  for img in $(ls -v /boot/vmlinuz-"$1".* 2>/dev/null); do
    v=${img#/boot/vmlinuz-}
    has_headers "$v" && best=$v
  done
  echo "$best"
}

kernels=()
if [[ -n ${VM_KERNELS:-} ]]; then
  read -ra kernels <<<"$VM_KERNELS"
else
  for s in "${series[@]}"; do
    k=$(newest_of "$s")
    [[ -n $k ]] || die "no $s kernel with image and headers (run scripts/install-deps.sh vm)"
    kernels+=("$k")
  done
fi
[[ $mode == bench ]] && kernels=("${kernels[-1]}")
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (run scripts/install-deps.sh vm)"
[[ -x $build/vnddconfig && -x $build/vnddvpnd ]] || die "build the tools first (make all)"
[[ -x $build/tools/udp_blast ]] || die "build udp_blast first"

# The probe does not depend on the kernel: built once for all.
mkdir -p "$build/vm"
${CXX:-g++} -std=c++20 -O1 -g -Wall -Wextra -Werror -I"$repo" -pthread -o "$build/vm/vndd_probe" "$repo"/tests/vm/probe/*.cpp ||
  die "probe build failed"

# run_kernel KVER: builds, boots and checks one kernel; returns non-zero on any failure.
run_kernel() {
  local kver=$1 work=$build/vm/$1 kdir log qemu_rc start elapsed fail=0
  kdir=/usr/src/linux-headers-$kver
  [[ -d $kdir ]] || kdir=/lib/modules/$kver/build
  [[ -r /boot/vmlinuz-$kver ]] || { echo "vm-check: /boot/vmlinuz-$kver is not readable"; return 1; }
  mkdir -p "$work"
  # Build the module out of the source tree, so driver/ stays clean.
  rm -rf "$work/driver" && mkdir -p "$work/driver"
  cp "$repo"/driver/{Kbuild,Makefile,*.c,*.h} "$work/driver/"
  make -s -C "$work/driver" KDIR="$kdir" >"$work/module-build.log" 2>&1 ||
    { cat "$work/module-build.log"; echo "vm-check: module build failed for $kver"; return 1; }
  echo "vm-check: built vnddmgr.ko for $kver"
  cp "$build/vnddconfig" "$build/vnddvpnd" "$build/vm/vndd_probe" "$work/"
  mkdir -p "$work/tools" && cp "$build/tools/udp_blast" "$work/tools/"
  "$repo/tests/vm/initramfs.sh" "$work/initramfs.cpio.gz" "$kver" "$work/driver/vnddmgr.ko" "$work" "$repo" ||
    { echo "vm-check: initramfs build failed for $kver"; return 1; }

  log=$work/console.log
  echo "vm-check: booting $kver under qemu (TCG), timeout ${timeout_s}s, console in $log"
  start=$SECONDS
  timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 1024 \
    -display none -monitor none -serial "file:$log" -no-reboot -nic none \
    -kernel "/boot/vmlinuz-$kver" -initrd "$work/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1 hung_task_panic=1 tvpn.mode=$mode tvpn.reps=${VM_BENCH_REPS:-5} tvpn.tests=${VM_TESTS:-all}" \
    </dev/null >"$work/qemu.log" 2>&1
  qemu_rc=$?
  elapsed=$((SECONDS - start))
  tr -d '\r' <"$log" >"$log.txt"

  grep -E '^VMTEST (RUN|PASS|FAIL|BOOTED)|^  \[.*\] not ok' "$log.txt"
  [[ $mode == bench ]] && sed -n 's/^VMBENCH //p' "$log.txt"
  if ! grep -q '^VMTEST DONE' "$log.txt"; then
    echo "vm-check: the VM did not finish (qemu exit $qemu_rc after ${elapsed}s); last lines:"
    tail -40 "$log.txt"; cat "$work/qemu.log"
    fail=1
  elif ! grep -q '^VMTEST DONE rc=0$' "$log.txt"; then
    echo "vm-check: tests failed:"; grep -E '^  \[.*\] not ok' "$log.txt"
    fail=1
  fi
  # Any kernel complaint fails the run, whether printed live or in the final dmesg.
  local bad='BUG:|WARNING:|Oops|kernel BUG|general protection|Call Trace|leak|unregister_netdevice: waiting|blocked for more than|soft lockup|refcount_t|list_(add|del) corruption|UBSAN|KASAN|Kernel panic'
  if grep -E "$bad" "$log.txt" | grep -v '^  \[' | grep -q .; then
    echo "vm-check: the kernel log reports a problem:"
    grep -En -B2 -A20 "$bad" "$log.txt" | grep -v '^[0-9]*[-:]  \[' | head -60
    fail=1
  fi
  if ((fail)); then
    echo "vm-check: $kver FAILED (${elapsed}s; console log: $log.txt)"
    return 1
  fi
  if [[ $mode == bench ]]; then echo "vm-bench: the VM ($kver) finished cleanly in ${elapsed}s"
  else echo "vm-check: all VM tests passed on $kver in ${elapsed}s"; fi
}

failed=()
for k in "${kernels[@]}"; do run_kernel "$k" || failed+=("$k"); done
((${#failed[@]} == 0)) || die "failed on: ${failed[*]}"
[[ $mode == bench ]] || echo "vm-check: passed on ${kernels[*]}"
