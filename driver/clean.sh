#!/bin/sh
# Removes everything the module build leaves in driver/, with or without
# the kernel headers it was built against.
cd "$(dirname "$0")" || exit 1
rm -f ./*.o ./*.ko ./*.mod ./*.mod.c ./*.mod.o ./.*.cmd ./*.symvers ./*.order ./.*.d
rm -rf ./.tmp_versions
