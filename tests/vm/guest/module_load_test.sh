#!/usr/bin/env bash
# Loading and unloading: the control device appears with mode 0600 and goes away.
. "$(dirname "$0")/lib.sh"

check "insmod vnddmgr.ko" insmod "$MODULE"
check "/dev/vnddmgr is a character device" test -c /dev/vnddmgr
check_out "/dev/vnddmgr has mode 0600, owner root" '^600 0$' stat -c '%a %u' /dev/vnddmgr
refuse "a second insmod fails" insmod "$MODULE"
check "rmmod vnddmgr" rmmod vnddmgr
refuse "/dev/vnddmgr is gone after rmmod" test -e /dev/vnddmgr
check "insmod again" insmod "$MODULE"
check_out "the module announces its ABI" 'vnddmgr: ABI 2\.0' dmesg
finish
