# Shared helpers for end-to-end tests and the demo: namespaces as hosts,
# veth links between them, daemons started by PID, and cleanup that always
# runs. All traffic stays inside the namespaces created here.
# Source it; set BUILD to the directory holding vnddconfig and vnddvpnd.

: "${BUILD:?BUILD must name the build directory}"
TVPN_ID=${TVPN_ID:-tv$$}
TVPN_NAMESPACES=()
TVPN_PIDS=()
TVPN_ETC_DIRS=()
TVPN_TMP=$(mktemp -d /tmp/tvpn-test.XXXXXX)

ns() { echo "$TVPN_ID-$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

tvpn_cleanup() {
  local pid
  for pid in "${TVPN_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${TVPN_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  TVPN_PIDS=()
  local n ino
  for n in "${TVPN_NAMESPACES[@]}"; do
    # What still runs in a namespace of ours was started by the test (a
    # daemon that vnddconfig up started, say): stopped by its PID.
    tvpn_stop_ns_pids "$n"
    # What a daemon killed by the test left in /run/vnddvpnd (IF@netINODE.*).
    ino=$(ip netns exec "$n" stat -L -c %i /proc/self/ns/net 2>/dev/null) &&
      rm -f /run/vnddvpnd/*@net"$ino".pid /run/vnddvpnd/*@net"$ino".ctl
    # Deleting a namespace destroys every interface in it, persistent TAPs included.
    ip netns del "$n" 2>/dev/null
  done
  TVPN_NAMESPACES=()
  local d
  for d in "${TVPN_ETC_DIRS[@]}"; do rm -rf "$d"; done
  TVPN_ETC_DIRS=()
  rm -rf "$TVPN_TMP"
}
# tvpn_stop_ns_pids NAMESPACE: SIGTERM to each process in it, SIGKILL after 5 s.
tvpn_stop_ns_pids() {
  local pids pid
  mapfile -t pids < <(ip netns pids "$1" 2>/dev/null)
  ((${#pids[@]})) || return 0
  kill "${pids[@]}" 2>/dev/null
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
}
trap tvpn_cleanup EXIT
trap 'exit 130' INT TERM

make_host() {
  local n; n=$(ns "$1")
  ip netns add "$n" || return 1
  TVPN_NAMESPACES+=("$n")
  ip -n "$n" link set lo up
}

# link HOST_A IF_A ADDR_A/LEN HOST_B IF_B ADDR_B/LEN: a veth pair between two hosts.
link() {
  ip -n "$(ns "$1")" link add "$2" type veth peer name "$5" netns "$(ns "$4")" || return 1
  ip -n "$(ns "$1")" addr add "$3" dev "$2"
  ip -n "$(ns "$4")" addr add "$6" dev "$5"
  ip -n "$(ns "$1")" link set "$2" up
  ip -n "$(ns "$4")" link set "$5" up
}

# start_bg HOST LOGFILE CMD...: runs CMD in HOST in the background, remembers its PID.
start_bg() {
  local host=$1 logfile=$2; shift 2
  ip netns exec "$(ns "$host")" "$@" </dev/null >"$logfile" 2>&1 &
  TVPN_PIDS+=("$!")
  LAST_PID=$!
}

# stop_pid PID: SIGTERM, wait (bounded), report its exit status in STOP_RC.
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; STOP_RC=137; return 1; }
  wait "$pid" 2>/dev/null; STOP_RC=$?
  return 0
}

# wait_ping HOST ADDR [SECONDS]: true once ADDR answers a ping from HOST.
wait_ping() {
  local deadline=$((SECONDS + ${3:-10}))
  while ((SECONDS < deadline)); do
    in_ns "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

# wait_for SECONDS CMD...: polls CMD until it succeeds or time runs out.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  while ((SECONDS < deadline)); do "$@" && return 0; sleep 0.1; done
  return 1
}

# tcp_transfer FROM TO TO_ADDR MBYTES: sends random data over TCP, checks size and checksum.
tcp_transfer() {
  local from=$1 to=$2 addr=$3 mb=$4 port=${5:-5001}
  local src=$TVPN_TMP/send.$$ dst=$TVPN_TMP/recv.$$
  head -c $((mb * 1024 * 1024)) /dev/urandom >"$src"
  rm -f "$dst"
  local listen="TCP-LISTEN:$port,reuseaddr" connect="TCP:$addr:$port"
  if [[ $addr == *:* ]]; then listen="TCP6-LISTEN:$port,reuseaddr"; connect="TCP6:[$addr]:$port"; fi
  in_ns "$to" timeout 60 socat -u "$listen" "CREATE:$dst" &
  local listener=$!
  wait_for 5 in_ns "$to" sh -c "ss -Hltn 'sport = :$port' | grep -q ." || { kill $listener; return 1; }
  in_ns "$from" timeout 60 socat -u "OPEN:$src" "$connect" || { kill $listener 2>/dev/null; return 1; }
  wait $listener || return 1
  local a b
  a=$(sha256sum <"$src" | cut -d' ' -f1); b=$(sha256sum <"$dst" | cut -d' ' -f1)
  [[ "$a" == "$b" ]] || { echo "checksum mismatch: sent $a, received $b ($(stat -c%s "$dst") bytes)"; return 1; }
  echo "transferred $mb MiB, sha256 $a matches"
}

# readme_topology: the README's scenario. lan1 - h1 ==underlay== h2 - lan2,
# vlan3 on h1 (192.168.3.1) and h2 (192.168.3.2). Daemons are started by the caller.
readme_topology() {
  local h
  for h in lan1 h1 h2 lan2; do make_host "$h" || return 1; done
  link lan1 eth0 192.168.1.10/24 h1 lan0 192.168.1.254/24 || return 1
  link h1 wan0 198.51.100.1/24 h2 wan0 198.51.100.2/24 || return 1
  link h2 lan0 192.168.2.254/24 lan2 eth0 192.168.2.10/24 || return 1
  in_ns lan1 ip route add default via 192.168.1.254
  in_ns lan2 ip route add default via 192.168.2.254
  for h in h1 h2; do
    in_ns "$h" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$h" "$BUILD/vnddconfig" add vlan3 || return 1
  done
  in_ns h1 ip addr add 192.168.3.1/24 dev vlan3
  in_ns h2 ip addr add 192.168.3.2/24 dev vlan3
  in_ns h1 ip link set vlan3 up
  in_ns h2 ip link set vlan3 up
  in_ns h1 ip route add 192.168.2.0/24 via 192.168.3.2
  in_ns h2 ip route add 192.168.1.0/24 via 192.168.3.1
}

# hub_topology: a hub with two spokes: hub wan0 198.51.100.1 - s1 198.51.100.2,
# hub wan1 203.0.113.1 - s2 203.0.113.2; vlan3 on hub (192.168.3.1) and s1
# (.2), vlan4 on hub (192.168.4.1) and s2 (.2). Daemons are started by the caller.
hub_topology() {
  local h
  for h in hub s1 s2; do make_host "$h" || return 1; done
  link hub wan0 198.51.100.1/24 s1 wan0 198.51.100.2/24 || return 1
  link hub wan1 203.0.113.1/24 s2 wan0 203.0.113.2/24 || return 1
  add_vif hub vlan3 192.168.3.1/24 && add_vif hub vlan4 192.168.4.1/24 &&
    add_vif s1 vlan3 192.168.3.2/24 && add_vif s2 vlan4 192.168.4.2/24
}

# add_vif HOST IF ADDR/LEN: a TVPN interface on HOST, addressed and up.
add_vif() {
  in_ns "$1" "$BUILD/vnddconfig" add "$2" || return 1
  in_ns "$1" ip addr add "$3" dev "$2" && in_ns "$1" ip link set "$2" up
}
