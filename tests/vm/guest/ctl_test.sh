#!/usr/bin/env bash
# The ioctls at the byte level: version, every malformed argument,
# privilege checks and attach races (tests/vm/probe).
. "$(dirname "$0")/lib.sh"

for c in abi badargs privs race; do
  if "$PROBE" "$c" >/tmp/probe.$c 2>&1; then ok "probe $c ($(grep -c '^ok' /tmp/probe.$c) checks)"
  else not_ok "probe $c"; grep -v '^ok' /tmp/probe.$c; fi
done
refuse "no test interface left behind" bash -c "ls /sys/class/net | grep -E '^v(b|r|p)'"
finish
