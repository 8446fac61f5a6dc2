#!/usr/bin/env bash
# Unloading with interfaces present, attached, and in other namespaces;
# then load/unload cycles. Runs last: leaves the module unloaded.
. "$(dirname "$0")/lib.sh"

module_loaded || insmod "$MODULE"
check "add vu0" "$VNDDCONFIG" add vu0
check "add vu1" "$VNDDCONFIG" add vu1
ip link set vu0 up
check "namespace vmz" ip netns add vmz
check "a vndd interface in vmz" ip netns exec vmz "$VNDDCONFIG" add vz0
check "vz0 exists in vmz" ip netns exec vmz test -e /sys/class/net/vz0
bg_start /tmp/hold.log "$PROBE" hold vu1
holder=$LAST_PID
check "holder attached to vu1" wait_file_has /tmp/hold.log attached
refuse "rmmod while a file is attached" rmmod vnddmgr
check "vu1 survives the refused unload" test -e /sys/class/net/vu1
kill -9 "$holder"
check "holder killed" wait_gone "$holder"
check "rmmod with interfaces present" rmmod vnddmgr
refuse "vu0 is gone" test -e /sys/class/net/vu0
check "vz0 in the other namespace is gone" ip netns exec vmz bash -c '! test -e /sys/class/net/vz0'
check "delete namespace vmz" ip netns del vmz

for round in 1 2 3; do
  insmod "$MODULE" || not_ok "insmod round $round"
  "$VNDDCONFIG" add "vc$round" || not_ok "add round $round"
  timeout 5 "$PROBE" hold "vc$round" >/tmp/hold.$round 2>&1 &
  pid=$!
  wait_file_has /tmp/hold.$round attached || not_ok "attach round $round"
  kill -9 "$pid"; wait "$pid" 2>/dev/null
  rmmod vnddmgr || not_ok "rmmod round $round"
done
ok "three load/add/attach/kill/unload rounds"
refuse "module unloaded at the end" module_loaded
finish
