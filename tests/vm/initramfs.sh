#!/usr/bin/env bash
# Builds the test VM's initramfs: busybox, bash, iproute2, socat, the TVPN
# tools and probe with their shared libraries, vnddmgr.ko and the kernel
# modules the tests need, and the test scripts.
# usage: initramfs.sh OUT.cpio.gz KVER VNDDMGR.KO TOOLS_DIR REPO
set -euo pipefail
out=$1 kver=$2 ko=$3 tools=$4 repo=$5
root=$(mktemp -d /tmp/tvpn-initramfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"  # mktemp made it 0700; it becomes the VM's /

# usr-merged layout, as on Debian 12.
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,root,etc,var}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"

# copy_with_libs FILE DEST: FILE at DEST inside the root, plus every library ldd names.
copy_with_libs() {
  install -D -m 0755 "$1" "$root$2"
  local lib
  for lib in $(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+'); do
    [[ -e "$root$lib" ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done
}
for bin in bash ip ss socat; do copy_with_libs "$(readlink -f "$(command -v "$bin")")" "/usr/bin/$bin"; done
for bin in vnddconfig vnddvpnd vndd_probe; do copy_with_libs "$tools/$bin" "/tvpn/build/$bin"; done
# vnddvpnd loads libzxcvbn only for its password check (dlopen): ldd does not name it.
# awk reads to the end: an early exit could kill ldconfig with SIGPIPE, which
# pipefail and set -e turn into a silent exit of this script.
zxcvbn=$(ldconfig -p | awk '/libzxcvbn\.so\.0 .*x86-64/ && !found { print $NF; found = 1 }')
[[ -n "$zxcvbn" ]] || { echo "initramfs: libzxcvbn.so.0 not found (libzxcvbn0)" >&2; exit 1; }
copy_with_libs "$(readlink -f "$zxcvbn")" "$zxcvbn"
# For the offload end-to-end test and the VM benchmark (tests/vm/bench).
copy_with_libs "$tools/tools/udp_blast" /tvpn/build/tools/udp_blast
for bin in ethtool iperf3; do
  if command -v "$bin" >/dev/null; then copy_with_libs "$(readlink -f "$(command -v "$bin")")" "/usr/bin/$bin"; fi
done
strip --strip-unneeded "$root"/tvpn/build/* 2>/dev/null || true

# busybox provides everything else; links never replace the real tools above.
install -m 0755 /bin/busybox "$root/usr/bin/busybox"
for applet in $(busybox --list); do
  [[ -e "$root/usr/bin/$applet" ]] || ln -s busybox "$root/usr/bin/$applet"
done
ln -sf busybox "$root/usr/bin/sh"
ln -s ../bin/busybox "$root/usr/sbin/busybox"

# Kernel modules from the image the VM boots, with their dependencies,
# decompressed (busybox insmod may not read .ko.xz / .ko.zst).
moddir=/lib/modules/$kver
declare -A seen=()
order=0
add_module() {
  local rel dep
  rel=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" | head -1 | cut -d: -f1) || true
  [[ -n "$rel" && -z "${seen[$rel]:-}" ]] || return 0
  seen[$rel]=1
  for dep in $(grep -E "^$rel:" "$moddir/modules.dep" | cut -d: -f2); do
    add_module "$(basename "$dep" | sed -E 's/\.ko(\.xz|\.zst|\.gz)?$//')"
  done
  order=$((order + 1))
  local n; n=$(printf '%02d' "$order")
  case "$rel" in
    *.xz) xz -dc "$moddir/$rel" ;;
    *.zst) zstd -dcq "$moddir/$rel" ;;
    *.gz) gzip -dc "$moddir/$rel" ;;
    *) cat "$moddir/$rel" ;;
  esac >"$root/lib/modules/deps/$n-$(basename "$rel" | sed -E 's/\.ko.*$//').ko"
}
mkdir -p "$root/lib/modules/deps" "$root/lib/modules/tvpn"
# pktgen: tests/vm/guest/pktgen_test.sh sends through a vndd interface with it.
for m in veth tun pktgen; do add_module "$m"; done
install -m 0644 "$ko" "$root/lib/modules/tvpn/vnddmgr.ko"

# Tests, in the repository's layout so relative paths work.
mkdir -p "$root/tvpn/tests"
cp -r "$repo/tests/lib" "$repo/tests/e2e" "$root/tvpn/tests/"
mkdir -p "$root/tvpn/tests/vm"
cp -r "$repo/tests/vm/guest" "$root/tvpn/tests/vm/"
install -m 0755 "$repo/tests/vm/guest/init" "$root/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
