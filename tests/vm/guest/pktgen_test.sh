#!/usr/bin/env bash
# pktgen into a vndd interface. The driver queues the skb it is given, so
# it must not offer IFF_TX_SKB_SHARING: pktgen then refuses clone_skb and
# burst (which send one skb several times: queued twice, it crashed the
# kernel). Plain pktgen traffic reaches the reader, each frame counted
# once (tx_packets or tx_dropped), and the kernel log stays clean.
. "$(dirname "$0")/lib.sh"

pg=/proc/net/pktgen
frames=2000
# pgset FILE CMD: one pktgen command; fails when pktgen refuses it.
pgset() { echo "$2" >"$1"; }
ifstat() { cat "/sys/class/net/vpg0/statistics/$1"; }

check "pktgen is loaded" test -e $pg/pgctrl
# IPv6 off and NOARP: only pktgen's frames leave through vpg0.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
check "vnddconfig add vpg0" "$VNDDCONFIG" add vpg0 noarp
ip link set vpg0 up
bg_start /tmp/pg-hold.log "$PROBE" hold vpg0
holder=$LAST_PID
check "a reader attaches vpg0" wait_file_has /tmp/pg-hold.log attached
check "pktgen takes vpg0" pgset $pg/kpktgend_0 "add_device vpg0"
check "count $frames" pgset $pg/vpg0 "count $frames"
refuse "clone_skb 10 is refused" pgset $pg/vpg0 "clone_skb 10"
refuse "burst 8 is refused" pgset $pg/vpg0 "burst 8"
check "pkt_size 60" pgset $pg/vpg0 "pkt_size 60"
check "dst 192.168.80.2" pgset $pg/vpg0 "dst 192.168.80.2"
# Whatever pktgen accepted is sent now: a shared skb would be queued twice.
check_out "clone_skb stayed 0" 'clone_skb: 0' cat $pg/vpg0
tx0=$(ifstat tx_packets) drop0=$(ifstat tx_dropped)
check "pktgen sends $frames frames" timeout 60 sh -c "echo start >$pg/pgctrl"
check_out "pktgen reports them all sent" "pkts-sofar: $frames" cat $pg/vpg0
# counted FRAMES: true once every frame sent is counted, read or dropped (bounded wait).
counted() {
  local i
  for ((i = 0; i < 50; i++)); do
    (($(ifstat tx_packets) - tx0 + $(ifstat tx_dropped) - drop0 == $1)) && return 0
    sleep 0.1
  done
  return 1
}
check "each frame counted once: tx_packets + tx_dropped grew by $frames" counted $frames
got=$(($(ifstat tx_packets) - tx0))
((got > 0)) && ok "the reader got $got of them" || not_ok "the reader got none"
check "pktgen lets go of vpg0" pgset $pg/kpktgend_0 "rem_device_all"
check "ip link del vpg0" ip link del vpg0
check "the reader exits on ENODEV" wait_gone "$holder"
sysctl -qw net.ipv6.conf.default.disable_ipv6=0
finish
