# The paths under test, all between hosts a and b joined by one veth
# (underlay 198.51.100.0/24, MTU 1500). Each setup function either brings its
# path up and records the far end's address in PATH_ADDR, or fails loudly.
# Sourced by bench.sh after tests/lib/netns.sh.

declare -A PATH_ADDR=()    # path -> address of b as seen from a
declare -A PATH_NOTE=()    # path -> why it was not measured (empty: measured)
declare -A PATH_MTU=()     # path -> inner MTU, for the report
declare -A PATH_IFB=()     # path -> the interface on b that the path delivers into
declare -A DAEMON_PIDS=()  # "path side" -> pid of the daemon carrying it
declare -A PATH_CLIENT=()  # path -> the namespace iperf3 and ping run from (default a)
declare -A PATH_SERVER=()  # path -> the namespace they reach (default b)
PATHS=(raw vxlan tvpn tvpn_pwd tvpn_pwd1400 tvpn_bridged tvpn_hub tvpn_pwd_base openvpn wg tinc fastd n2n)
# The peer VPNs TVPN is measured against: "the best peer" is the best of these.
PEER_PATHS=(openvpn wg tinc fastd n2n)
# The build issue 14's CPU goal is measured against (30% less than it): the
# -pwd daemon of then, built from this repository's history and run in the same
# benchmark, since CPU seconds from another run on this shared machine do not compare.
BASE_REV=${BASE_REV:-b79784d}
# Paths measured only for TCP a->b and its CPU cost.
declare -A PATH_TCP_FWD_ONLY=([tvpn_pwd_base]=1)
declare -A PATH_LABEL=([raw]="raw veth (no tunnel)" [vxlan]="kernel VXLAN (no crypto)" [tvpn]="TVPN clear" [tvpn_pwd]="TVPN -pwd"
  [tvpn_pwd1400]="TVPN -pwd, MTU 1400" [tvpn_bridged]="TVPN -pwd, bridged LANs"
  [tvpn_hub]="TVPN -pwd, spoke -> hub -> spoke" [tvpn_pwd_base]="TVPN -pwd as of $BASE_REV (before issue 14)" [openvpn]="OpenVPN TAP static key" [wg]="wireguard-go"
  [tinc]="tinc 1.0 switch mode" [fastd]="fastd TAP" [n2n]="n2n 1.3 edge")
TVPN_PATHS=(tvpn tvpn_pwd tvpn_pwd1400 tvpn_bridged tvpn_hub)

die() {
  echo "bench: FAILED: $*" >&2
  local f
  for f in "$TVPN_TMP"/*.log; do
    [[ -s "$f" ]] || continue
    echo "--- $(basename "$f") (last 15 lines)" >&2; tail -n 15 "$f" >&2
  done
  exit 1
}

setup_underlay() {
  make_host a && make_host b || die "cannot create namespaces"
  link a wan0 198.51.100.1/24 b wan0 198.51.100.2/24 || die "cannot create the veth underlay"
  wait_ping a 198.51.100.2 5 || die "underlay does not answer ping"
  PATH_ADDR[raw]=198.51.100.2
  PATH_IFB[raw]=wan0
  PATH_MTU[raw]=$(in_ns a cat /sys/class/net/wan0/mtu)
}

# The kernel's own Ethernet-over-UDP tunnel: no user-space crossing, no crypto.
# What "as fast as the machine allows" means for an L2 tunnel (issue 14).
setup_vxlan() {
  local h i=1 peer
  for h in a b; do
    peer=$((3 - i))
    in_ns "$h" ip link add vxl0 type vxlan id 42 local "198.51.100.$i" remote "198.51.100.$peer" \
      dstport 4789 dev wan0 || die "cannot create VXLAN in $h"
    in_ns "$h" ip addr add "192.168.10.$i/24" dev vxl0 && in_ns "$h" ip link set vxl0 up ||
      die "cannot address vxl0 in $h"
    i=$((i + 1))
  done
  wait_ping a 192.168.10.2 10 || die "no ping across VXLAN"
  PATH_ADDR[vxlan]=192.168.10.2
  PATH_IFB[vxlan]=vxl0
  PATH_MTU[vxlan]=$(in_ns a cat /sys/class/net/vxl0/mtu)
}

# tvpn_ends PATH IF NET PORT [EXTRA ARGS...]: a TVPN tunnel on interface IF with
# NET.1 on a and NET.2 on b. Returns 2 when -pwd is refused as not yet available.
tvpn_ends() {
  local path=$1 ifc=$2 net=$3 port=$4; shift 4
  local h i=1 peer
  for h in a b; do
    in_ns "$h" "$BUILD/vnddconfig" add "$ifc" ${VNDD_ADD_ARGS:-} >"$TVPN_TMP/$path-config-$h.log" 2>&1 ||
      die "vnddconfig add $ifc in $h"
    in_ns "$h" ip addr add "$net.$i/24" dev "$ifc" && in_ns "$h" ip link set "$ifc" up ||
      die "cannot address $ifc in $h"
    i=$((i + 1))
  done
  i=1
  for h in a b; do
    peer=$((3 - i))
    start_bg "$h" "$TVPN_TMP/$path-$h.log" "${VPND:-$BUILD/vnddvpnd}" \
      -tunnel "$ifc" "198.51.100.$i" "$port" "198.51.100.$peer" "$port" "$@"
    DAEMON_PIDS["$path $h"]=$LAST_PID
    i=$((i + 1))
  done
  sleep 0.5
  for h in a b; do
    kill -0 "${DAEMON_PIDS["$path $h"]}" 2>/dev/null && continue
    grep -qiE 'not (available|implemented)' "$TVPN_TMP/$path-$h.log" && return 2
    die "vnddvpnd for $path exited at start-up in $h"
  done
  wait_ping a "$net.2" 10 || die "no ping across $path"
  PATH_ADDR[$path]=$net.2
  PATH_IFB[$path]=$ifc
  PATH_MTU[$path]=$(in_ns a cat "/sys/class/net/$ifc/mtu")
}

setup_tvpn() {
  tvpn_ends tvpn tvclear 192.168.3 33000
}

# -pwd is measured as soon as vnddvpnd accepts it; until then the row says why not.
setup_tvpn_pwd() {
  local rc
  tvpn_ends tvpn_pwd tvpwd 192.168.4 33001 -pwd "$(bench_password)"
  rc=$?
  ((rc == 2)) && PATH_NOTE[tvpn_pwd]="n/a (not implemented)"
  return 0
}

# build_base DIR: vnddvpnd of BASE_REV in DIR/build (kept: the revision does
# not change). Fails when the history or the build is missing; the log is DIR.log.
build_base() {
  local dir=$1
  [[ -x "$dir/build/vnddvpnd" ]] && return 0
  git -C "$ROOT" cat-file -e "$BASE_REV^{commit}" 2>/dev/null || return 1
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  git -C "$ROOT" archive "$BASE_REV" | tar -x -C "$dir" || return 1
  # BUILD on the command line: the one in the environment (make bench's own)
  # would make the old Makefile build into, or over, this tree's build.
  make -C "$dir" -j"$(nproc)" BUILD=build build/vnddvpnd >"$dir.log" 2>&1
}

setup_tvpn_pwd_base() {
  local dir=$BUILD/bench-base/$BASE_REV
  if ! build_base "$dir"; then
    PATH_NOTE[tvpn_pwd_base]="n/a (cannot build $BASE_REV from git history)"
    return 0
  fi
  VPND=$dir/build/vnddvpnd tvpn_ends tvpn_pwd_base tvbase 192.168.14 33008 -pwd "$(bench_password)"
}

bench_password() { echo "bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

# The MTU before full-size frames (issue 12), for the same run's comparison.
setup_tvpn_pwd1400() {
  VNDD_ADD_ARGS="mtu 1400" tvpn_ends tvpn_pwd1400 tvp14 192.168.7 33002 -pwd "$(bench_password)"
}

# Bridged LANs: on a and b a LAN host (la, lb; veth MTU 1500) in a bridge
# with the -pwd interface (default MTU); iperf3 and ping run between the LAN hosts.
setup_tvpn_bridged() {
  local h i=1 peer pw
  pw=$(bench_password)
  for h in a b; do
    make_host "l$h" || die "cannot create l$h"
    in_ns "$h" "$BUILD/vnddconfig" add tvbr >"$TVPN_TMP/bridged-config-$h.log" 2>&1 || die "vnddconfig add tvbr in $h"
    ip -n "$(ns "$h")" link add lan0 type veth peer name eth0 netns "$(ns "l$h")" || die "LAN veth in $h"
    in_ns "$h" ip link add brtv type bridge || die "bridge in $h"
    for dev in tvbr lan0; do in_ns "$h" ip link set "$dev" master brtv; done
    for dev in brtv tvbr lan0; do in_ns "$h" ip link set "$dev" up; done
    in_ns "l$h" ip addr add "192.168.8.$i/24" dev eth0 && in_ns "l$h" ip link set eth0 up || die "address in l$h"
    i=$((i + 1))
  done
  i=1
  for h in a b; do
    peer=$((3 - i))
    start_bg "$h" "$TVPN_TMP/tvpn_bridged-$h.log" "$BUILD/vnddvpnd" \
      -tunnel tvbr "198.51.100.$i" 33003 "198.51.100.$peer" 33003 -pwd "$pw"
    DAEMON_PIDS["tvpn_bridged $h"]=$LAST_PID
    i=$((i + 1))
  done
  wait_ping la 192.168.8.2 15 || die "no ping between the bridged LANs"
  PATH_ADDR[tvpn_bridged]=192.168.8.2
  PATH_CLIENT[tvpn_bridged]=la
  PATH_SERVER[tvpn_bridged]=lb
  PATH_IFB[tvpn_bridged]=eth0
  PATH_MTU[tvpn_bridged]=$(in_ns la cat /sys/class/net/eth0/mtu)
}

# A hub: namespace hub joined to a (203.0.113.0/25) and b (203.0.113.128/25)
# by veths of their own; one interface on the hub with both spokes as peers
# (a password each), so a -> b is relayed by the hub's daemon.
setup_tvpn_hub() {
  local h i=1 pw=() args=()
  make_host hub || die "cannot create the hub"
  link a hub0 203.0.113.1/25 hub hs1 203.0.113.2/25 || die "veth a-hub"
  link b hub0 203.0.113.129/25 hub hs2 203.0.113.130/25 || die "veth b-hub"
  for h in a b hub; do
    in_ns "$h" "$BUILD/vnddconfig" add tvhub >"$TVPN_TMP/hub-config-$h.log" 2>&1 || die "vnddconfig add tvhub in $h"
    in_ns "$h" ip link set tvhub up
  done
  in_ns a ip addr add 192.168.9.1/24 dev tvhub && in_ns b ip addr add 192.168.9.2/24 dev tvhub || die "hub path addresses"
  pw=("$(bench_password)" "$(bench_password)")
  start_bg a "$TVPN_TMP/tvpn_hub-a.log" "$BUILD/vnddvpnd" -tunnel tvhub 203.0.113.1 33005 203.0.113.2 33005 \
    -pwd "${pw[0]}" -name spoke1
  DAEMON_PIDS["tvpn_hub a"]=$LAST_PID
  start_bg b "$TVPN_TMP/tvpn_hub-b.log" "$BUILD/vnddvpnd" -tunnel tvhub 203.0.113.129 33005 203.0.113.130 33005 \
    -pwd "${pw[1]}" -name spoke2
  DAEMON_PIDS["tvpn_hub b"]=$LAST_PID
  start_bg hub "$TVPN_TMP/tvpn_hub-hub.log" "$BUILD/vnddvpnd" \
    -tunnel tvhub 203.0.113.2 33005 203.0.113.1 33005 -pwd "${pw[0]}" -name spoke1 \
    -tunnel tvhub 203.0.113.130 33005 203.0.113.129 33005 -pwd "${pw[1]}" -name spoke2
  HUB_PID=$LAST_PID
  wait_ping a 192.168.9.2 20 || die "no ping from spoke a to spoke b through the hub"
  PATH_ADDR[tvpn_hub]=192.168.9.2
  PATH_IFB[tvpn_hub]=tvhub
  PATH_MTU[tvpn_hub]=$(in_ns a cat /sys/class/net/tvhub/mtu)
}

# hub_rss_per_peer: VmRSS of a hub daemon with 1 and with 64 `any` peers on
# one interface, each just started and idle: "rss1 rss64" in KiB.
hub_rss_per_peer() {
  local n args=() rss=()
  in_ns hub "$BUILD/vnddconfig" add tvmany >/dev/null 2>&1 || die "vnddconfig add tvmany"
  for n in 1 64; do
    args=()
    for ((i = 1; i <= n; i++)); do args+=(-tunnel tvmany 0.0.0.0 33006 any 0 -pwd "$(bench_password)" -name "p$i"); done
    start_bg hub "$TVPN_TMP/tvmany-$n.log" "$BUILD/vnddvpnd" "${args[@]}"
    local pid=$LAST_PID
    wait_for 60 grep -qs "tunnel tvmany up" "$TVPN_TMP/tvmany-$n.log" || die "the $n-peer hub did not start"
    sleep 1
    rss+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")")
    stop_pid "$pid"
  done
  echo "${rss[0]} ${rss[1]}"
}

# fragment_counts PATH: "frames-out frames-fragmented" of a's daemon on PATH, from its status.
fragment_counts() {
  local ifc=$1 st
  st=$(in_ns a "$BUILD/vnddconfig" status "$ifc" 2>/dev/null)
  awk '/ out: [0-9]+ frames/ { sub(/.* out: /, ""); out = $1 + 0 }
       /fragments: sent/ { sub(/.*fragments: sent [0-9]+ in /, ""); frag = $1 + 0 }
       END { print out + 0, frag + 0 }' <<<"$st"
}

# OpenVPN 2.6, TAP, point to point with a pre-shared static key (--secret).
setup_openvpn() {
  openvpn --genkey secret "$TVPN_TMP/ovpn.key" >"$TVPN_TMP/ovpn-genkey.log" 2>&1 ||
    die "openvpn --genkey"
  local h i=1 peer dir
  for h in a b; do
    peer=$((3 - i)); dir=$((i - 1))
    start_bg "$h" "$TVPN_TMP/openvpn-$h.log" openvpn --dev ovpn0 --dev-type tap --disable-dco \
      --proto udp --local "198.51.100.$i" --lport 1194 --remote "198.51.100.$peer" --rport 1194 \
      --secret "$TVPN_TMP/ovpn.key" "$dir" --cipher AES-256-CBC \
      --ifconfig "192.168.5.$i" 255.255.255.0 --verb 3
    DAEMON_PIDS["openvpn $h"]=$LAST_PID
    i=$((i + 1))
  done
  for h in a b; do
    wait_for 15 grep -qs 'Initialization Sequence Completed' "$TVPN_TMP/openvpn-$h.log" ||
      die "openvpn in $h did not complete its initialisation"
  done
  peer_up openvpn ovpn0 192.168.5
}

# wireguard-go (userspace), configured with wg; keys made on the fly. Its
# control socket lives in /var/run/wireguard, shared by all namespaces, so
# each side's interface gets a name unique to this run and side.
wg_ifc() { echo "${TVPN_ID}w$1"; }

setup_wg() {
  local h o i=1 peer sock
  for h in a b; do
    (umask 077 && wg genkey >"$TVPN_TMP/wg-$h.key") && wg pubkey <"$TVPN_TMP/wg-$h.key" >"$TVPN_TMP/wg-$h.pub" ||
      die "wg genkey"
    start_bg "$h" "$TVPN_TMP/wg-$h.log" env WG_PROCESS_FOREGROUND=1 wireguard-go "$(wg_ifc "$h")"
    DAEMON_PIDS["wg $h"]=$LAST_PID
  done
  for h in a b; do
    sock=/var/run/wireguard/$(wg_ifc "$h").sock
    wait_for 10 sh -c "test -S $sock || ! kill -0 ${DAEMON_PIDS["wg $h"]}"
    test -S "$sock" || die "wireguard-go in $h did not open its control socket"
  done
  for h in a b; do
    peer=$((3 - i)); [[ $h == a ]] && o=b || o=a
    in_ns "$h" wg set "$(wg_ifc "$h")" private-key "$TVPN_TMP/wg-$h.key" listen-port 51820 \
      peer "$(cat "$TVPN_TMP/wg-$o.pub")" allowed-ips "192.168.6.$peer/32" \
      endpoint "198.51.100.$peer:51820" || die "wg set in $h"
    in_ns "$h" ip addr add "192.168.6.$i/24" dev "$(wg_ifc "$h")" &&
      in_ns "$h" ip link set "$(wg_ifc "$h")" up || die "cannot address $(wg_ifc "$h") in $h"
    i=$((i + 1))
  done
  wait_ping a 192.168.6.2 10 || die "no ping across wireguard-go"
  PATH_ADDR[wg]=192.168.6.2
  PATH_IFB[wg]=$(wg_ifc b)
  PATH_MTU[wg]=$(in_ns a cat "/sys/class/net/$(wg_ifc a)/mtu")
}

# peer_up PATH IFC NET: after a peer VPN's daemons started, wait for ping to
# NET.2 and record the path (the interface is IFC on both sides).
peer_up() {
  local path=$1 ifc=$2 net=$3
  wait_ping a "$net.2" 30 || die "no ping across $path"
  PATH_ADDR[$path]=$net.2
  PATH_IFB[$path]=$ifc
  PATH_MTU[$path]=$(in_ns a cat "/sys/class/net/$ifc/mtu")
}

# tinc 1.0 in switch mode (an Ethernet switch over UDP, as TVPN), RSA keys
# made on the fly, AES-256-CBC (the cipher of OpenVPN's row) with HMAC-SHA256;
# its defaults otherwise (PMTU discovery and MSS clamping on).
setup_tinc() {
  local h o i=1 dir
  for h in a b; do
    dir=$TVPN_TMP/tinc-$h; [[ $h == a ]] && o=b || o=a
    mkdir -p "$dir/hosts" || die "tinc config dir"
    printf 'Name = %s\nMode = switch\nDeviceType = tap\nDevice = /dev/net/tun\nInterface = tinc0\nAddressFamily = ipv4\nBindToAddress = 198.51.100.%s\nConnectTo = %s\n' \
      "$h" "$i" "$o" >"$dir/tinc.conf"
    printf 'Address = 198.51.100.%s\nPort = 655\nCipher = aes-256-cbc\nDigest = sha256\n' "$i" >"$dir/hosts/$h"
    printf '#!/bin/sh\nip addr add 192.168.11.%s/24 dev "$INTERFACE" && ip link set "$INTERFACE" up\n' "$i" >"$dir/tinc-up"
    chmod 755 "$dir/tinc-up"
    tincd -c "$dir" -K 2048 </dev/null >"$TVPN_TMP/tinc-keygen-$h.log" 2>&1 || die "tincd -K in $h"
    i=$((i + 1))
  done
  cp "$TVPN_TMP/tinc-a/hosts/a" "$TVPN_TMP/tinc-b/hosts/a" && cp "$TVPN_TMP/tinc-b/hosts/b" "$TVPN_TMP/tinc-a/hosts/b" ||
    die "tinc host files"
  for h in a b; do
    start_bg "$h" "$TVPN_TMP/tinc-$h.log" tincd -c "$TVPN_TMP/tinc-$h" -D --pidfile="$TVPN_TMP/tinc-$h/pid"
    DAEMON_PIDS["tinc $h"]=$LAST_PID
  done
  peer_up tinc tinc0 192.168.11
}

# fastd v22 in TAP mode with its recommended method (salsa2012+umac) and the
# MTU its documentation recommends for TAP mode (1406); keys made on the fly.
setup_fastd() {
  local h o i=1 peer
  declare -A secret=() public=()
  for h in a b; do
    fastd --generate-key >"$TVPN_TMP/fastd-key-$h" 2>/dev/null || die "fastd --generate-key"
    secret[$h]=$(awk '/^Secret:/ { print $2 }' "$TVPN_TMP/fastd-key-$h")
    public[$h]=$(awk '/^Public:/ { print $2 }' "$TVPN_TMP/fastd-key-$h")
    [[ -n "${secret[$h]}" && -n "${public[$h]}" ]] || die "fastd key for $h"
  done
  for h in a b; do
    peer=$((3 - i)); [[ $h == a ]] && o=b || o=a
    cat >"$TVPN_TMP/fastd-$h.conf" <<CONF
log to stderr level warn;
interface "fastd0";
mode tap;
method "salsa2012+umac";
bind 198.51.100.$i:10000;
secret "${secret[$h]}";
mtu 1406;
on up "ip addr add 192.168.12.$i/24 dev \$INTERFACE && ip link set \$INTERFACE up";
peer "$o" { key "${public[$o]}"; remote 198.51.100.$peer:10000; }
CONF
    start_bg "$h" "$TVPN_TMP/fastd-$h.log" fastd --config "$TVPN_TMP/fastd-$h.conf"
    DAEMON_PIDS["fastd $h"]=$LAST_PID
    i=$((i + 1))
  done
  peer_up fastd fastd0 192.168.12
}

# n2n 1.3 (Debian 12's n2n): a supernode in a, an edge on each side with a
# shared community key (Twofish), its default MTU; edges then talk directly.
setup_n2n() {
  local h i=1 key
  key=$(bench_password)
  start_bg a "$TVPN_TMP/n2n-supernode.log" supernode -l 7654
  for h in a b; do
    start_bg "$h" "$TVPN_TMP/n2n-$h.log" env N2N_KEY="$key" edge -d n2n0 -a "192.168.13.$i" -s 255.255.255.0 \
      -c bench -l 198.51.100.1:7654 -p 7655
    DAEMON_PIDS["n2n $h"]=$LAST_PID
    i=$((i + 1))
  done
  wait_for 10 sh -c "ip netns exec $(ns a) ip link show n2n0 && ip netns exec $(ns b) ip link show n2n0" >/dev/null 2>&1 ||
    die "n2n edges did not create their interfaces"
  for h in a b; do in_ns "$h" ip link set n2n0 up; done
  peer_up n2n n2n0 192.168.13
}
