TVPN_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Topologies and checks for full-size frames (issue 12): two sites whose
# LANs are bridged over the tunnel, optionally with a router between the
# sites whose far link has a smaller MTU and drops all ICMP (a PMTU black
# hole). Source after netns.sh and secure.sh.
#
#   lan1 (192.168.5.1) -- s1 [br0: lan0 + vlan3] -- (router) -- s2 [br0: lan0 + vlan3] -- lan2 (192.168.5.2)
#   s1 198.51.100.1, s2 198.51.100.2 (direct) or 203.0.113.2 (behind the router)

# bridged_site SITE N: LAN host lanN behind SITE, bridged to SITE's vlan3 (default MTU).
bridged_site() {
  local s=$1 n=$2
  make_host "lan$n" || return 1
  ip -n "$(ns "$s")" link add lan0 type veth peer name eth0 netns "$(ns "lan$n")" || return 1
  in_ns "$s" ip link add br0 type bridge || return 1
  in_ns "$s" "$BUILD/vnddconfig" add vlan3 "${@:3}" || return 1
  in_ns "$s" ip link set vlan3 master br0
  in_ns "$s" ip link set lan0 master br0
  [[ -n ${LAN_MTU:-} ]] && { in_ns "$s" ip link set lan0 mtu "$LAN_MTU"; in_ns "lan$n" ip link set eth0 mtu "$LAN_MTU"; }
  for dev in br0 lan0 vlan3; do in_ns "$s" ip link set "$dev" up; done
  in_ns "lan$n" ip addr add "192.168.5.$n/24" dev eth0
  in_ns "lan$n" ip link set eth0 up
}

# bridged_topology [VNDDCONFIG ADD ARGS...]: two sites on one underlay veth (MTU 1500, or UNDERLAY_MTU).
bridged_topology() {
  make_host s1 && make_host s2 || return 1
  link s1 wan0 198.51.100.1/24 s2 wan0 198.51.100.2/24 || return 1
  if [[ -n ${UNDERLAY_MTU:-} ]]; then
    in_ns s1 ip link set wan0 mtu "$UNDERLAY_MTU"; in_ns s2 ip link set wan0 mtu "$UNDERLAY_MTU"
  fi
  bridged_site s1 1 "$@" && bridged_site s2 2 "$@"
  S2_ADDR=198.51.100.2
}

# black_hole_topology: s1 -- r (198.51.100.254 | 203.0.113.254) -- s2; the
# link r-s2 has MTU 1280 and r drops every ICMP message it would forward or
# send, so no "fragmentation needed" ever reaches s1.
black_hole_topology() {
  make_host s1 && make_host r && make_host s2 || return 1
  link s1 wan0 198.51.100.1/24 r wan0 198.51.100.254/24 || return 1
  link r wan1 203.0.113.254/24 s2 wan0 203.0.113.2/24 || return 1
  in_ns r sysctl -qw net.ipv4.ip_forward=1
  in_ns s1 ip route add 203.0.113.0/24 via 198.51.100.254
  in_ns s2 ip route add 198.51.100.0/24 via 203.0.113.254
  set_router_mtu 1280
  in_ns r nft -f - <<'NFT' || return 1
table inet blackhole {
  chain forward { type filter hook forward priority 0; meta l4proto { icmp, ipv6-icmp } drop; }
  chain output { type filter hook output priority 0; meta l4proto { icmp, ipv6-icmp } drop; }
}
NFT
  bridged_site s1 1 && bridged_site s2 2
  S2_ADDR=203.0.113.2
}

# set_router_mtu N: the MTU of the router's link towards s2 (both ends).
set_router_mtu() {
  in_ns r ip link set wan1 mtu "$1" && in_ns s2 ip link set wan0 mtu "$1"
}

# start_sites MODE: daemons on s1 and s2; MODE pwd, clear or des (-cipher des).
start_sites() {
  local mode=$1 args=()
  [[ $mode == pwd ]] && args=(-pwd "bridged lans quartz meadow lantern")
  [[ $mode == des ]] && args=(-pwd "legacy lans granite harbour" -cipher des)
  start_daemon s1 198.51.100.1 "$S2_ADDR" "${args[@]}"
  start_daemon s2 "$S2_ADDR" 198.51.100.1 "${args[@]}"
  wait_ping lan1 192.168.5.2 20 || fail "$mode: lan1 cannot reach lan2 over the bridged tunnel"
}

stop_sites() { stop_daemon s1; stop_daemon s2; }

# ip_frag_counters HOST: "FragCreates ReasmReqds Ip6FragCreates" of HOST's stack.
ip_frag_counters() {
  in_ns "$1" awk '
    /^Ip: / && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
    /^Ip: / { c = $col["FragCreates"]; r = $col["ReasmReqds"] }
    FILENAME ~ /snmp6/ && $1 == "Ip6FragCreates" { f6 = $2 }
    END { print c + 0, r + 0, f6 + 0 }' /proc/net/snmp /proc/net/snmp6
}

# path_mtu HOST: fetches STATUS and sets PATH_MTU to the path MTU HOST's daemon found ("" if none).
path_mtu() {
  daemon_status "$1"
  PATH_MTU=$(sed -n 's/.*path MTU: \([0-9]*\) .*/\1/p' <<<"$STATUS" | tail -n1)
}

# wait_path_mtu HOST LOW HIGH SECONDS: until HOST's path MTU is within
# [LOW, HIGH] and its search is complete (not merely the base it starts from).
wait_path_mtu() {
  local host=$1 low=$2 high=$3 secs=$4 m="" i
  for ((i = 0; i < secs; i++)); do
    path_mtu "$host"
    m=$PATH_MTU
    [[ -n $m ]] && ((m >= low && m <= high)) && grep -q "path MTU: $m (complete" <<<"$STATUS" &&
      { echo "$host: path MTU $m, search complete"; return 0; }
    sleep 1
  done
  echo "$host: path MTU '$m' never within $low..$high with the search complete in $secs s"
  return 1
}

# tagged_frame FROM TO SIZE: a SIZE-byte 802.1Q frame from lanFROM's eth0 arrives whole at lanTO.
tagged_frame() {
  local from=$1 to=$2 size=$3 mac mark="tvpn-mtu-$RANDOM"
  mac=$(in_ns "$to" cat /sys/class/net/eth0/address)
  in_ns "$to" python3 "$TVPN_LIB/vlan_frame.py" recv eth0 "$size" "$mark" 10 >"$TVPN_TMP/vlan.out" 2>&1 &
  local rx=$!
  sleep 0.5
  in_ns "$from" python3 "$TVPN_LIB/vlan_frame.py" send eth0 "$mac" "$size" "$mark" || { kill $rx; return 1; }
  wait $rx
  local rc=$?
  cat "$TVPN_TMP/vlan.out"
  return $rc
}

# segment_writer FROM TO ADDR KBYTES: TCP writing one full segment (1448 bytes)
# at a time, TCP_NODELAY, pausing SEG_PAUSE seconds (0.002) between writes so
# no two share a segment; the receiver checks the sha256. SEG_LIMIT: seconds
# it may take (80).
segment_writer() {
  local from=$1 to=$2 addr=$3 kb=$4 port=5002 limit=${SEG_LIMIT:-80}
  local src=$TVPN_TMP/seg.src dst=$TVPN_TMP/seg.dst
  head -c $((kb * 1024)) /dev/urandom >"$src"
  rm -f "$dst"
  in_ns "$to" timeout $((limit + 10)) socat -u "TCP-LISTEN:$port,reuseaddr" "CREATE:$dst" &
  local listener=$!
  wait_for 5 in_ns "$to" sh -c "ss -Hltn 'sport = :$port' | grep -q ." || { kill $listener; return 1; }
  in_ns "$from" timeout "$limit" python3 - "$addr" "$port" "$src" "${SEG_PAUSE:-0.002}" <<'PY' || { kill $listener 2>/dev/null; return 1; }
import socket, sys, time
addr, port, path, pause = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
data = open(path, "rb").read()
s = socket.create_connection((addr, port), timeout=60)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(0, len(data), 1448):
    s.sendall(data[i:i + 1448])
    time.sleep(pause)
s.close()
PY
  wait $listener || return 1
  [[ $(sha256sum <"$src" | cut -d' ' -f1) == $(sha256sum <"$dst" | cut -d' ' -f1) ]] ||
    { echo "segment writer: checksum mismatch ($(stat -c%s "$dst") of $((kb * 1024)) bytes)"; return 1; }
  echo "segment writer: $kb KiB in 1448-byte writes, sha256 matches"
}
