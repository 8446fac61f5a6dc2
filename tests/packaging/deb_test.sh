#!/usr/bin/env bash
# Installs the packages `make deb` built (tvpn, vnddmgr-dkms) into a throw-away
# copy of this Debian system, runs what they installed, purges them and checks
# that nothing is left behind.
#
# The copy is an overlay: this system's root, read-only, under an empty tmpfs
# that takes every write, inside private mount, network and PID namespaces.
# dpkg, the maintainer scripts and DKMS run there (chroot) as they would on
# the host, but the host is never written to, concurrent runs do not share a
# dpkg lock, and everything vanishes with the namespaces. After the purge the
# tmpfs holds exactly what the packages changed for good: the test audits it.
# What this does not prove: that the declared Depends suffice on a minimal
# system (the host has more installed); dpkg-shlibdeps and dh_dkms generate them.
#
# usage: tests/packaging/deb_test.sh DEBDIR   (root; DEBDIR holds the .debs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [[ ${1-} != --inside ]]; then
  (($# == 1)) || { echo "usage: tests/packaging/deb_test.sh DEBDIR" >&2; exit 2; }
  [[ $(id -u) == 0 ]] || { echo "deb_test: needs root (mounts, chroot, dpkg)" >&2; exit 1; }
  debdir=$(realpath "$1")
  tmp=$(mktemp -d /tmp/tvpn-deb.XXXXXX)
  # The mounts live only in the child's mount namespace: once it exits, $tmp is
  # an ordinary empty directory again.
  trap 'rm -rf "$tmp"' EXIT
  timeout --kill-after=10 900 unshare --mount --net --pid --fork --propagation private \
    "$0" --inside "$tmp" "$debdir"
  exit
fi

tmp=$2 debdir=$3
# shellcheck source=tests/packaging/overlay_root.sh
source "$here/overlay_root.sh"
# shellcheck source=tests/packaging/deb_checks.sh
source "$here/deb_checks.sh"

tvpn_deb=$(ls "$debdir"/tvpn_*.deb)
dkms_deb=$(ls "$debdir"/vnddmgr-dkms_*.deb)
version=$(dpkg-deb -f "$dkms_deb" Version)
for p in tvpn vnddmgr-dkms; do
  ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
    { echo "deb_test: $p is installed on this host: the copy would not start clean" >&2; exit 1; }
done

overlay_root_mount "$tmp"
LOG=$tmp/commands.log
cp "$tvpn_deb" "$dkms_deb" "$ROOT/tmp/"

echo "== install"
check "dpkg -i tvpn vnddmgr-dkms" in_root dpkg -i "/tmp/${tvpn_deb##*/}" "/tmp/${dkms_deb##*/}"
check_installed
check_tools
check_docs "$repo"
check_unit_and_user
check_dkms "$version"

echo "== purge"
check "dpkg --purge vnddmgr-dkms tvpn" in_root dpkg --purge vnddmgr-dkms tvpn
check_purged "$version"
check_nothing_left "$tmp/upper"

if ((failures > 0)); then
  echo "deb_test: $failures checks FAILED (log of the commands: $LOG, printed below)"
  cat "$LOG"
  exit 1
fi
echo "ok: packages install into a copy of this system, work, and purge leaving only the tvpn user"
