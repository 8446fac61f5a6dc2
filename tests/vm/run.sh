#!/usr/bin/env bash
# The vnddmgr tests in a real kernel: builds the module against the
# installed Debian kernel's headers, packs an initramfs with the tools and
# tests, boots the kernel under QEMU (TCG) and reads the results from the
# serial console. Fails on any failed check, on a VM that does not finish
# in time, and on any BUG/WARNING/Oops/leak/hang report in the kernel log.
# usage: BUILD=build tests/vm/run.sh     (env: VM_TIMEOUT seconds, default 480)
#        BUILD=build tests/vm/run.sh bench   (tap vs vndd benchmark, tests/vm/guest/bench.sh;
#                                              the VMBENCH lines of the console go to stdout)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$repo/build}" && pwd)
work=$build/vm
timeout_s=${VM_TIMEOUT:-480}
mode=${1:-test}
mkdir -p "$work"

die() { echo "vm-check: $*" >&2; exit 1; }

# The newest kernel that has both an image and headers.
kver=
for img in $(ls -v /boot/vmlinuz-* 2>/dev/null); do
  v=${img#/boot/vmlinuz-}
  [[ -d /usr/src/linux-headers-$v || -d /lib/modules/$v/build ]] && kver=$v
done
[[ -n "$kver" ]] || die "no kernel image with headers (run scripts/install-deps.sh vm)"
kdir=/usr/src/linux-headers-$kver
[[ -d $kdir ]] || kdir=/lib/modules/$kver/build
[[ -r /boot/vmlinuz-$kver ]] || die "/boot/vmlinuz-$kver is not readable"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (run scripts/install-deps.sh vm)"

# Build the module out of the source tree, so driver/ stays clean.
rm -rf "$work/driver" && mkdir -p "$work/driver"
cp "$repo"/driver/{Kbuild,Makefile,*.c,*.h} "$work/driver/"
make -s -C "$work/driver" KDIR="$kdir" >"$work/module-build.log" 2>&1 || { cat "$work/module-build.log"; die "module build failed"; }
echo "vm-check: built vnddmgr.ko for $kver"

${CXX:-g++} -std=c++20 -O1 -g -Wall -Wextra -Werror -I"$repo" -pthread -o "$work/vndd_probe" "$repo"/tests/vm/probe/*.cpp ||
  die "probe build failed"
cp "$build/vnddconfig" "$build/vnddvpnd" "$work/" || die "build the tools first (make all)"
mkdir -p "$work/tools" && cp "$build/tools/udp_blast" "$work/tools/" || die "build udp_blast first"
"$repo/tests/vm/initramfs.sh" "$work/initramfs.cpio.gz" "$kver" "$work/driver/vnddmgr.ko" "$work" "$repo" ||
  die "initramfs build failed"

log=$work/console.log
echo "vm-check: booting $kver under qemu (TCG), timeout ${timeout_s}s, console in $log"
start=$SECONDS
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 1024 \
  -display none -monitor none -serial "file:$log" -no-reboot -nic none \
  -kernel "/boot/vmlinuz-$kver" -initrd "$work/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1 hung_task_panic=1 tvpn.mode=$mode tvpn.reps=${VM_BENCH_REPS:-5}" \
  </dev/null >"$work/qemu.log" 2>&1
qemu_rc=$?
elapsed=$((SECONDS - start))
tr -d '\r' <"$log" >"$log.txt"

grep -E '^VMTEST (RUN|PASS|FAIL|BOOTED)|^  \[.*\] not ok' "$log.txt"
[[ $mode == bench ]] && sed -n 's/^VMBENCH //p' "$log.txt"
fail=0
if ! grep -q '^VMTEST DONE' "$log.txt"; then
  echo "vm-check: the VM did not finish (qemu exit $qemu_rc after ${elapsed}s); last lines:"
  tail -40 "$log.txt"; cat "$work/qemu.log"
  fail=1
elif ! grep -q '^VMTEST DONE rc=0$' "$log.txt"; then
  echo "vm-check: tests failed:"; grep -E '^  \[.*\] not ok' "$log.txt"
  fail=1
fi
# Any kernel complaint fails the run, whether printed live or in the final dmesg.
bad='BUG:|WARNING:|Oops|kernel BUG|general protection|Call Trace|leak|unregister_netdevice: waiting|blocked for more than|soft lockup|refcount_t|list_(add|del) corruption|UBSAN|KASAN|Kernel panic'
if grep -E "$bad" "$log.txt" | grep -v '^  \[' | grep -q .; then
  echo "vm-check: the kernel log reports a problem:"
  grep -En -B2 -A20 "$bad" "$log.txt" | grep -v '^[0-9]*[-:]  \[' | head -60
  fail=1
fi
((fail)) && { echo "vm-check: FAILED (${elapsed}s; console log: $log.txt)"; exit 1; }
[[ $mode == bench ]] && echo "vm-bench: the VM finished cleanly in ${elapsed}s" || echo "vm-check: all VM tests passed in ${elapsed}s"
