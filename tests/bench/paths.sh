# The paths under test, all between hosts a and b joined by one veth
# (underlay 198.51.100.0/24, MTU 1500). Each setup function either brings its
# path up and records the far end's address in PATH_ADDR, or fails loudly.
# Sourced by bench.sh after tests/lib/netns.sh.

declare -A PATH_ADDR=()    # path -> address of b as seen from a
declare -A PATH_NOTE=()    # path -> why it was not measured (empty: measured)
declare -A PATH_MTU=()     # path -> inner MTU, for the report
declare -A PATH_IFB=()     # path -> the interface on b that the path delivers into
declare -A DAEMON_PIDS=()  # "path side" -> pid of the daemon carrying it
PATHS=(raw tvpn tvpn_pwd openvpn wg)
declare -A PATH_LABEL=([raw]="raw veth (no tunnel)" [tvpn]="TVPN clear" [tvpn_pwd]="TVPN -pwd"
  [openvpn]="OpenVPN TAP static key" [wg]="wireguard-go")

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

# tvpn_ends PATH IF NET PORT [EXTRA ARGS...]: a TVPN tunnel on interface IF with
# NET.1 on a and NET.2 on b. Returns 2 when -pwd is refused as not yet available.
tvpn_ends() {
  local path=$1 ifc=$2 net=$3 port=$4; shift 4
  local h i=1 peer
  for h in a b; do
    in_ns "$h" "$BUILD/vnddconfig" add "$ifc" >"$TVPN_TMP/$path-config-$h.log" 2>&1 ||
      die "vnddconfig add $ifc in $h"
    in_ns "$h" ip addr add "$net.$i/24" dev "$ifc" && in_ns "$h" ip link set "$ifc" up ||
      die "cannot address $ifc in $h"
    i=$((i + 1))
  done
  i=1
  for h in a b; do
    peer=$((3 - i))
    start_bg "$h" "$TVPN_TMP/$path-$h.log" "$BUILD/vnddvpnd" \
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
  tvpn_ends tvpn_pwd tvpwd 192.168.4 33001 -pwd "bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  rc=$?
  ((rc == 2)) && PATH_NOTE[tvpn_pwd]="n/a (not implemented)"
  return 0
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
  wait_ping a 192.168.5.2 10 || die "no ping across OpenVPN"
  PATH_ADDR[openvpn]=192.168.5.2
  PATH_IFB[openvpn]=ovpn0
  PATH_MTU[openvpn]=$(in_ns a cat /sys/class/net/ovpn0/mtu)
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
