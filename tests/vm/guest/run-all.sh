#!/usr/bin/env bash
# Runs every VM test in order, each bounded in time, and reports
# "VMTEST PASS|FAIL name" lines the host reads from the serial console.
# tvpn.tests=NAME,NAME on the kernel command line (run.sh's VM_TESTS) runs
# only those; the module is then loaded first if module_load_test is not
# among them.
cd "$(dirname "$0")" || exit 1
export BUILD=/tvpn/build PATH=/usr/sbin:/usr/bin:/sbin:/bin
. ./lib.sh

tests=(
  module_load_test.sh
  ctl_test.sh
  io_test.sh
  rxpath_test.sh
  pktgen_test.sh
  tools_test.sh
  ../../e2e/readme_scenario_test.sh
  vndd_scenario_test.sh
  ../../e2e/offload_paths_test.sh
  unload_test.sh
)
only=$(sed -n 's/.*tvpn\.tests=\([^ ]*\).*/\1/p' /proc/cmdline)
[[ $only == all ]] && only=
failed=0
for t in "${tests[@]}"; do
  name=$(basename "$t" .sh)
  [[ -z $only || ,$only, == *,$name,* ]] || continue
  if [[ -n $only && $name != module_load_test && $name != unload_test ]] && ! module_loaded; then
    insmod "$MODULE" || echo "VMTEST cannot insmod $MODULE"
  fi
  start=$SECONDS
  echo "VMTEST RUN $name"
  timeout 240 bash "$t" 2>&1 | sed "s/^/  [$name] /"
  rc=${PIPESTATUS[0]}
  if [[ $rc == 0 ]]; then echo "VMTEST PASS $name ($((SECONDS - start)) s)"
  else echo "VMTEST FAIL $name rc=$rc ($((SECONDS - start)) s)"; failed=$((failed + 1)); fi
done
# The scenario tests need the module loaded; the last test unloads it.
exit "$failed"
