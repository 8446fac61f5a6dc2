#!/usr/bin/env bash
# The one place that installs what TVPN's build, demo, tests and benchmarks
# use on Debian 12. Installs only what is missing and says what it installs.
# usage: scripts/install-deps.sh [build] [check] [demo] [bench] [fuzz] [vm] [deb]
set -euo pipefail

declare -A groups=(
  [build]="g++ make pkg-config libssl-dev libzxcvbn-dev libsystemd-dev libseccomp-dev libgtest-dev libgmock-dev"
  [demo]="iproute2 iputils-ping socat procps"
  [check]="iproute2 iputils-ping socat procps tcpdump coreutils ethtool openssl fail2ban nftables conntrack python3 systemd"
  [bench]="iproute2 iputils-ping iperf3 procps jq openvpn wireguard-go wireguard-tools tinc fastd n2n"
  [deb]="build-essential debhelper dh-dkms dkms fakeroot lintian linux-headers-amd64 adduser"
  [fuzz]="clang libclang-rt-14-dev"
  [vm]="linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64 qemu-system-x86 busybox-static cpio xz-utils kmod iproute2 socat ethtool iperf3"
)

want=()
for g in "${@:-build}"; do
  [[ -v "groups[$g]" ]] || { echo "install-deps: unknown group '$g'" >&2; exit 2; }
  for p in ${groups[$g]}; do want+=("$p"); done
done

missing=()
for p in $(printf '%s\n' "${want[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]} == 0)); then exit 0; fi
if [[ $(id -u) != 0 ]]; then
  echo "install-deps: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
