# A hub and three spokes for the network tests, on top of netns.sh and
# secure.sh. The hub has a public address; spokes 1 and 2 sit behind one NAT
# router (nftables masquerade with random ports), spoke 3 behind another; an
# "inet" router joins the two underlay nets. Each spoke bridges its LAN host
# to its vlan3; the overlay is 192.168.50.0/24 (hub .100, LAN host N .N).
#
#   lan1 - s1 \                                   / hub (203.0.113.1)
#              nat1 (198.51.100.11) - inet ------
#   lan2 - s2 /                                   \ nat2 (198.51.100.12) - s3 - lan3

HUB_IP=203.0.113.1
HUB_PORT=33000

# A password per spoke, strong enough for the start-up check.
spoke_password() { echo "hub spoke $1 plaid ferry orbit candle"; }

# bridge_lan SPOKE N: the spoke's LAN host lanN, bridged to the spoke's vlan3.
bridge_lan() {
  local s=$1 n=$2
  make_host "lan$n" || return 1
  ip -n "$(ns "$s")" link add lan0 type veth peer name eth0 netns "$(ns "lan$n")" || return 1
  in_ns "$s" ip link add br0 type bridge || return 1
  in_ns "$s" "$BUILD/vnddconfig" add vlan3 || return 1
  in_ns "$s" ip link set vlan3 master br0
  in_ns "$s" ip link set lan0 master br0
  for dev in br0 lan0 vlan3; do in_ns "$s" ip link set "$dev" up; done
  # LAN ports at Ethernet's 1500, as the tunnel interface: full-size frames cross.
  in_ns "lan$n" ip addr add "192.168.50.$n/24" dev eth0
  in_ns "lan$n" ip link set eth0 up
  in_ns "lan$n" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
}

# nat_router NAME WAN_IP LAN_NET: a router on inet's 198.51.100.0/24 that
# masquerades LAN_NET.0/24 with random source ports.
nat_router() {
  local r=$1 wan=$2 lan=$3
  make_host "$r" || return 1
  ip -n "$(ns inet)" link add "p$r" type veth peer name wan0 netns "$(ns "$r")" || return 1
  in_ns inet ip link set "p$r" master wanbr
  in_ns inet ip link set "p$r" up
  in_ns "$r" ip addr add "$wan/24" dev wan0
  in_ns "$r" ip link set wan0 up
  in_ns "$r" ip route add default via 198.51.100.254
  in_ns "$r" sysctl -qw net.ipv4.ip_forward=1
  in_ns "$r" ip link add lanbr type bridge || return 1
  in_ns "$r" ip addr add "$lan.1/24" dev lanbr
  in_ns "$r" ip link set lanbr up
  in_ns "$r" nft -f - <<NFT || return 1
table ip nat {
  chain post { type nat hook postrouting priority srcnat; oifname "wan0" masquerade random; }
}
NFT
}

# behind ROUTER SPOKE ADDR: SPOKE's wan0 on ROUTER's LAN bridge.
behind() {
  local r=$1 s=$2 addr=$3
  make_host "$s" || return 1
  ip -n "$(ns "$r")" link add "p$s" type veth peer name wan0 netns "$(ns "$s")" || return 1
  in_ns "$r" ip link set "p$s" master lanbr
  in_ns "$r" ip link set "p$s" up
  in_ns "$s" ip addr add "$addr/24" dev wan0
  in_ns "$s" ip link set wan0 up
  in_ns "$s" ip route add default via "${addr%.*}.1"
}

nat_hub_topology() {
  make_host inet || return 1
  in_ns inet sysctl -qw net.ipv4.ip_forward=1
  in_ns inet ip link add wanbr type bridge || return 1
  in_ns inet ip addr add 198.51.100.254/24 dev wanbr
  in_ns inet ip link set wanbr up
  make_host hub || return 1
  link hub wan0 "$HUB_IP/24" inet nhub 203.0.113.254/24 || return 1
  in_ns hub ip route add default via 203.0.113.254
  in_ns hub "$BUILD/vnddconfig" add vlan3 || return 1
  in_ns hub ip addr add 192.168.50.100/24 dev vlan3
  in_ns hub ip link set vlan3 up
  in_ns hub sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
  nat_router nat1 198.51.100.11 192.168.1 || return 1
  nat_router nat2 198.51.100.12 192.168.2 || return 1
  behind nat1 s1 192.168.1.2 || return 1
  behind nat1 s2 192.168.1.3 || return 1
  behind nat2 s3 192.168.2.2 || return 1
  bridge_lan s1 1 && bridge_lan s2 2 && bridge_lan s3 3
}

# start_hub [OPTION...]: the hub's daemon, one `any` peer per spoke, each with its name and password.
start_hub() {
  local args=() n
  for n in 1 2 3; do
    args+=(-tunnel vlan3 0.0.0.0 "$HUB_PORT" any 0 -pwd "$(spoke_password "$n")" -name "spoke$n")
  done
  DAEMON_RUNS=$((DAEMON_RUNS + 1))
  DLOG[hub]=$TVPN_TMP/hub.$DAEMON_RUNS.log
  start_bg hub "${DLOG[hub]}" "$BUILD/vnddvpnd" "${args[@]}" "$@"
  DPID[hub]=$LAST_PID
}

# start_spoke N [OPTION...]: spoke N's daemon: any local port, keepalives for its NAT.
start_spoke() {
  local n=$1; shift
  DAEMON_RUNS=$((DAEMON_RUNS + 1))
  DLOG[s$n]=$TVPN_TMP/s$n.$DAEMON_RUNS.log
  start_bg "s$n" "${DLOG[s$n]}" "$BUILD/vnddvpnd" -tunnel vlan3 0.0.0.0 0 "$HUB_IP" "$HUB_PORT" \
    -pwd "$(spoke_password "$n")" -name "spoke$n" -keepalive 5 "$@"
  DPID[s$n]=$LAST_PID
}
