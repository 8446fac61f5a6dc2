#!/usr/bin/env bash
# vnddconfig on the vndd backend: add/remove/list, options, both backends
# listed together, batching of long lists, refusal while attached and for
# unprivileged users.
. "$(dirname "$0")/lib.sh"

check "vnddconfig add vlan3" "$VNDDCONFIG" add vlan3
check_out "list shows vlan3 on the vndd backend" '^vlan3 +vndd ' "$VNDDCONFIG" list
check_out "ip -d link: kind vndd" 'vndd' ip -d link show vlan3
refuse "add vlan3 again" "$VNDDCONFIG" add vlan3
refuse "add with MTU 0" "$VNDDCONFIG" add vlan9 mtu 0
refuse "add with a multicast MAC" "$VNDDCONFIG" add vlan9 mac 01:00:5e:00:00:01
refuse "add with a 16-byte name" "$VNDDCONFIG" add abcdefghijklmnop
check "add vlan4 mtu 1400 mac noarp" "$VNDDCONFIG" add vlan4 mtu 1400 mac 02:00:5e:10:00:01 noarp
check_out "vlan4 has MTU 1400" '^1400$' cat /sys/class/net/vlan4/mtu
check_out "vlan4 has the MAC" '^02:00:5e:10:00:01$' cat /sys/class/net/vlan4/address
check_out "vlan4 is NOARP" 'NOARP' ip link show vlan4
refuse "ip link add type vndd is refused" ip link add vlan9 type vndd

check "vnddconfig -backend tap add tap7" "$VNDDCONFIG" -backend tap add tap7
check_out "list shows the tap interface" '^tap7 +tap ' "$VNDDCONFIG" list
check_out "list still shows vlan3 on vndd" '^vlan3 +vndd ' "$VNDDCONFIG" list
check "remove tap7 (found on the tap backend)" "$VNDDCONFIG" remove tap7
check "remove vlan4" "$VNDDCONFIG" remove vlan4

bg_start /tmp/hold.log "$PROBE" hold vlan3
holder=$LAST_PID
check "a holder attaches vlan3" wait_file_has /tmp/hold.log attached
check_out "list shows the attached pid" "^vlan3 +vndd .*pid $holder" "$VNDDCONFIG" list
refuse "remove while attached is refused" "$VNDDCONFIG" remove vlan3
refuse "vnddvpnd cannot attach an attached interface" \
  timeout 5 "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000 -pidfile /tmp/x.pid
check "ip link del works while attached" ip link del vlan3
check "the holder exits cleanly on ENODEV" wait_gone "$holder"
wait "$holder"; rc=$?
[[ $rc == 0 ]] && ok "holder exit status 0" || not_ok "holder exit status $rc"

chmod 0666 /dev/vnddmgr
as_nobody() { su -s /bin/bash -c "$*" nobody; }
check_out "as_nobody runs as uid 65534" '^65534$' as_nobody id -u
refuse "uid 65534: vnddconfig add is refused" as_nobody "$VNDDCONFIG" add vlan5
check "uid 65534 with a readable device: the kernel says EPERM" as_nobody "$PROBE" unprivileged
chmod 0600 /dev/vnddmgr
refuse "vlan5 was not created" test -e /sys/class/net/vlan5

for i in $(seq 40); do "$VNDDCONFIG" add "vx$i" || not_ok "add vx$i"; done
check_out "list shows all 40 (three LIST batches)" '^40$' sh -c "'$VNDDCONFIG' list | grep -c '^vx'"
for i in $(seq 40); do "$VNDDCONFIG" remove "vx$i" || not_ok "remove vx$i"; done
check_out "all removed" '^0$' sh -c "'$VNDDCONFIG' list | grep -c '^vx'"
finish
