#!/usr/bin/env bash
# Builds the Debian packages of debian/ (tvpn, vnddmgr-dkms) into OUTDIR and
# checks them with lintian (any error fails). dpkg-buildpackage runs on a copy
# of the tree in OUTDIR/src: it writes its products beside the tree it builds
# and leaves build state in debian/, neither of which belongs in the checkout.
# usage: packaging/build-deb.sh OUTDIR   (JOBS: parallel compile jobs, default 2)
set -euo pipefail
(($# == 1)) || { echo "usage: packaging/build-deb.sh OUTDIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")
mkdir -p "$out"
rm -rf "$out/src"
rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo "$out"/build.log

# The tree without version control, build directories, what .gitignore lists
# (objects, config.mk) and OUTDIR itself when it lies inside the tree.
excludes=(--exclude-vcs --exclude-vcs-ignores --exclude=./build --exclude=./build-san --exclude=./build-fuzz)
[[ $out == "$root"/* ]] && excludes+=("--exclude=./${out#"$root"/}")
mkdir "$out/src"
tar -C "$root" "${excludes[@]}" -cf - . | tar -C "$out/src" -xf -

echo "build-deb: dpkg-buildpackage in $out/src (log: $out/build.log)"
if ! (cd "$out/src" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2}" dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
  tail -n 40 "$out/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
  exit 1
fi
# dpkg-buildpackage puts the packages in the parent of the tree it built: OUTDIR.
changes=$(ls "$out"/tvpn_*.changes)
echo "build-deb: lintian"
lintian --fail-on error "$changes"
ls "$out"/*.deb
