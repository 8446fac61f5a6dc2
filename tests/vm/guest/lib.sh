# Helpers for the tests that run inside the VM (bash). Every check prints
# "ok - ..." or "not ok - ..."; a test's exit status is its failure count.
BUILD=${BUILD:-/tvpn/build}
VNDDCONFIG=$BUILD/vnddconfig
PROBE=$BUILD/vndd_probe
MODULE=/lib/modules/tvpn/vnddmgr.ko
FAILURES=0
BG_PIDS=()

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILURES=$((FAILURES + 1)); }
# check DESCRIPTION CMD...: CMD must succeed.
check() { local what=$1; shift; if "$@" >/tmp/check.out 2>&1; then ok "$what"; else not_ok "$what: $(tail -3 /tmp/check.out)"; fi; }
# refuse DESCRIPTION CMD...: CMD must fail.
refuse() { local what=$1; shift; if "$@" >/tmp/check.out 2>&1; then not_ok "$what (it succeeded)"; else ok "$what: $(head -1 /tmp/check.out)"; fi; }
# check_out DESCRIPTION PATTERN CMD...: CMD's output must match the extended regex PATTERN.
check_out() {
  local what=$1 pattern=$2; shift 2
  "$@" >/tmp/check.out 2>&1
  if grep -Eq "$pattern" /tmp/check.out; then ok "$what"; else not_ok "$what: /$pattern/ not in: $(tr '\n' '|' </tmp/check.out)"; fi
}

# run_probe CASE [IF]: one vndd_probe case as one check; its failed lines are shown.
run_probe() {
  local out=/tmp/probe.$1
  if "$PROBE" "$@" >"$out" 2>&1; then ok "probe $1 ($(grep -c '^ok' "$out") checks)"
  else not_ok "probe $1"; grep -v '^ok' "$out"; fi
}

# bg_start LOG CMD...: starts CMD in the background and remembers its PID in LAST_PID.
bg_start() { local log=$1; shift; "$@" </dev/null >"$log" 2>&1 & LAST_PID=$!; BG_PIDS+=("$LAST_PID"); }
# wait_gone PID [TENTHS]: true once PID has exited (bounded).
wait_gone() { local i; for ((i = 0; i < ${2:-50}; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
# wait_file_has FILE TEXT [TENTHS]
wait_file_has() { local i; for ((i = 0; i < ${3:-50}; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
bg_cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  for pid in "${BG_PIDS[@]}"; do wait_gone "$pid" 20; done
  BG_PIDS=()
}
finish() { bg_cleanup; echo "failures: $FAILURES"; exit $((FAILURES > 100 ? 100 : FAILURES)); }
module_loaded() { grep -q '^vnddmgr ' /proc/modules; }
