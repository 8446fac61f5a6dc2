#!/usr/bin/env bash
# make install puts the tools, every manual page of docs/, the bash
# completions and the systemd unit (naming the installed sbin) under
# DESTDIR/PREFIX; make uninstall removes every file again. Needs the built
# tools (BUILD), not root.
# usage: BUILD=/path/to/build tests/scripts/install_test.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BUILD:?BUILD must name the build directory}"
dest=$(mktemp -d /tmp/tvpn-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
installed() { [[ -f $dest/usr/$1 ]] || fail "make install did not install /usr/$1"; }

make -s -C "$root" install BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr >/dev/null || fail "make install"
for tool in vnddconfig vnddvpnd; do
  installed "sbin/$tool"
  [[ -x $dest/usr/sbin/$tool ]] || fail "/usr/sbin/$tool is not executable"
  installed "share/bash-completion/completions/$tool"
done
for page in "$root"/docs/*.[1-9]; do
  name=${page##*/}
  installed "share/man/man${name##*.}/$name"
done
unit=$dest/usr/lib/systemd/system/vnddvpnd@.service
installed lib/systemd/system/vnddvpnd@.service
grep -q '^ExecStart=/usr/sbin/vnddvpnd ' "$unit" || fail "the unit's ExecStart does not run /usr/sbin/vnddvpnd"
! grep -q '@SBINDIR@' "$unit" || fail "the unit still says @SBINDIR@"
# Documentation=man:NAME(SECTION): each page is one make install installs.
docs=$(sed -n 's/^Documentation=//p' "$unit")
[[ $docs == *man:* ]] || fail "the unit's Documentation= names no man page"
for page in $docs; do
  [[ $page =~ ^man:([a-z.]+)\(([0-9])\)$ ]] || { fail "the unit's Documentation= has '$page', not man:NAME(SECTION)"; continue; }
  installed "share/man/man${BASH_REMATCH[2]}/${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
done

make -s -C "$root" uninstall BUILD="$BUILD" DESTDIR="$dest" PREFIX=/usr >/dev/null || fail "make uninstall"
left=$(find "$dest" ! -type d)
[[ -z $left ]] || fail "make uninstall left: $left"
((failures == 0)) || { echo "$failures install/uninstall failures"; exit 1; }
echo "ok: make install (DESTDIR, PREFIX) installs tools, man pages, completions and the unit; make uninstall removes them"
