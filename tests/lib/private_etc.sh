# shellcheck shell=bash
# Hosts with an /etc of their own, for tests that run commands as a user
# would (/etc/tvpn/IF.conf, /etc/tvpn/*.key) without writing the machine's
# /etc: the host's /etc under an overlay whose writes go to a tmpfs, in a
# mount namespace that a holder process keeps alive. Source after netns.sh.
#   private_etc HOST    HOST (made with make_host) gets its own /etc
#   on_host HOST CMD... runs CMD in HOST's network namespace with that /etc
# The holder runs in HOST's namespace, so tvpn_cleanup stops it with the rest.

declare -A TVPN_ETC_HOLDER=()

private_etc() {
  local h=$1 dir=$TVPN_TMP/etc-$1 ready=$TVPN_TMP/etc-$1.ready
  mkdir -p "$dir" || return 1
  # ip netns exec gives the command a mount namespace of its own (a slave of
  # the machine's): the mounts below are seen only there.
  ip netns exec "$(ns "$h")" sh -c '
    mount -t tmpfs -o mode=0755 tvpn-etc "$1" && mkdir "$1/upper" "$1/work" &&
      mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc || exit 1
    echo ready
    exec sleep 100000' _ "$dir" </dev/null >"$ready" 2>&1 &
  local pid=$!
  TVPN_PIDS+=("$pid")
  wait_for 10 grep -qsx ready "$ready" || { echo "private /etc for $h: $(cat "$ready")"; return 1; }
  TVPN_ETC_HOLDER[$h]=$pid
}

on_host() {
  local h=$1; shift
  local pid=${TVPN_ETC_HOLDER[$h]:?"on_host: $h has no private /etc (private_etc $h)"}
  nsenter --target "$pid" --mount --net -- "$@"
}
