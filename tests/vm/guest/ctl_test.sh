#!/usr/bin/env bash
# The ioctls at the byte level: version, every malformed argument,
# privilege checks and attach races (tests/vm/probe).
. "$(dirname "$0")/lib.sh"

for c in abi badargs privs race; do run_probe "$c"; done
refuse "no test interface left behind" bash -c "ls /sys/class/net | grep -E '^v(b|r|p)'"
finish
