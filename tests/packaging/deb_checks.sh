# shellcheck shell=bash disable=SC2016 # dpkg-query formats and bash -c scripts are meant literally
# The checks of tests/packaging/deb_test.sh, run against the copy at ROOT
# (overlay_root.sh). check WHAT CMD... runs CMD, logs its output to LOG and
# counts a failure; the other functions group the checks.
failures=0

check() {
  local what=$1
  shift
  echo "--- $what: $*" >>"$LOG"
  if "$@" >>"$LOG" 2>&1; then echo "ok: $what"; else echo "FAILED: $what"; failures=$((failures + 1)); fi
}

# output_has PATTERN CMD...: CMD succeeds and its output (logged) matches PATTERN.
output_has() {
  local pattern=$1 out rc=0
  shift
  out=$("$@" 2>&1) || rc=$?
  printf '%s\n' "$out"
  ((rc == 0)) && grep -qE -- "$pattern" <<<"$out"
}

status_is() { [[ $(in_root dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "$2" ]]; }
not_installed() { ! in_root dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
exits_with() {
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  echo "exit status $rc"
  ((rc == want))
}
prints_usage() { output_has "^usage: $1 " in_root "$1"; }
list_has() { output_has "\\<$1\\>" in_root vnddconfig list; }
list_lacks() {
  local out
  out=$(in_root vnddconfig list) || return 1
  printf '%s\n' "$out"
  ! grep -qw -- "$1" <<<"$out"
}
in_root_file() { [[ -f $ROOT/$1 ]]; }

check_installed() {
  check "tvpn is installed" status_is tvpn "install ok installed"
  check "vnddmgr-dkms is installed" status_is vnddmgr-dkms "install ok installed"
}

# A daemon of the installed vnddvpnd answers the installed vnddconfig's status
# (loopback only: the network namespace is the test's own).
daemon_answers_status() {
  local pid rc=1
  ip link set lo up
  in_root_bg vnddvpnd -tunnel tvpndeb0 127.0.0.1 40001 127.0.0.1 40002
  pid=$ROOT_BG_PID
  for _ in $(seq 50); do
    output_has '^tunnel tvpndeb0:' in_root vnddconfig status tvpndeb0 && { rc=0; break; }
    sleep 0.1
  done
  kill "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null && echo "vnddvpnd ignored SIGTERM" && rc=1
  wait "$pid" 2>/dev/null
  return "$rc"
}

check_tools() {
  check "vnddvpnd without arguments prints its usage" prints_usage vnddvpnd
  check "vnddconfig without arguments prints its usage" prints_usage vnddconfig
  check "vnddconfig refuses an unknown command (exit 2)" exits_with 2 in_root vnddconfig frobnicate
  check "vnddconfig -backend tap add tvpndeb0" in_root vnddconfig -backend tap add tvpndeb0
  check "vnddconfig list shows tvpndeb0" list_has tvpndeb0
  check "vnddvpnd on tvpndeb0 answers vnddconfig status" daemon_answers_status
  check "vnddconfig remove tvpndeb0" in_root vnddconfig remove tvpndeb0
  check "vnddconfig list no longer shows tvpndeb0" list_lacks tvpndeb0
}

# completes CMD WORD...: the completion installed for CMD, for the command line
# "CMD WORD... <TAB>", prints its candidates; they must include $want.
completes() {
  local want=$1 cmd=$2
  shift 2
  output_has "^$want\$" in_root bash -c 'f=$1; shift; source "/usr/share/bash-completion/completions/$f"
    COMP_WORDS=("$@" ""); COMP_CWORD=$#; "_$f"; printf "%s\n" "${COMPREPLY[@]}"' _ "$cmd" "$cmd" "$@"
}

# man finds the page; rendered from the file (-l), so man-db caches no cat page.
man_page_renders() {
  local path
  path=$(in_root man -w "$1" "$2") || return 1
  output_has '^NAME' in_root man -l -P cat "$path"
}

# Every manual page and example configuration of the source tree is installed.
check_docs() {
  local repo=$1 page name
  for page in "$repo"/docs/*.[1-9]; do
    name=${page##*/}
    check "man ${name##*.} ${name%.*}" man_page_renders "${name##*.}" "${name%.*}"
  done
  for page in "$repo"/packaging/*.conf.example; do
    [[ -e $page ]] || continue
    name=${page##*/}
    check "example $name" in_root_file "usr/share/doc/tvpn/examples/$name"
  done
  check "bash completion: vnddconfig <TAB> offers add" completes add vnddconfig
  check "bash completion: vnddvpnd -backend <TAB> offers vndd" completes vndd vnddvpnd -backend
}

# Each command of the unit (after systemd's prefixes -@:+!) exists in the copy.
unit_commands_exist() {
  local unit=$ROOT/lib/systemd/system/vnddvpnd@.service cmd n=0
  ! grep -n '@SBINDIR@' "$unit" || return 1
  while read -r cmd; do
    cmd=${cmd#*=}
    cmd=${cmd##[-@:+!]}
    cmd=${cmd##[-@:+!]}
    cmd=${cmd%% *}
    echo "$cmd"
    [[ -x $ROOT$cmd ]] || return 1
    n=$((n + 1))
  done < <(grep -E '^Exec[A-Za-z]*=' "$unit")
  ((n > 0))
}

# tvpn: a system account (uid below 1000) that cannot log in.
system_user_ok() {
  local entry uid shell
  entry=$(in_root getent passwd tvpn) || return 1
  echo "$entry"
  uid=$(cut -d: -f3 <<<"$entry") shell=$(cut -d: -f7 <<<"$entry")
  ((uid > 0 && uid < 1000)) && [[ $shell == */nologin ]] && in_root getent group tvpn
}

check_unit_and_user() {
  check "vnddvpnd@.service runs commands that exist" unit_commands_exist
  check "the tvpn system user exists" system_user_ok
  check "/etc/tvpn exists" test -d "$ROOT/etc/tvpn"
  # vnddvpnd runs as tvpn: it reads /etc/tvpn through the group and keeps
  # its pidfile and control socket in /run/vnddvpnd (tvpn.conf(5), FILES).
  check "/etc/tvpn is root:tvpn 0750" output_has '^root:tvpn 750$' in_root stat -c '%U:%G %a' /etc/tvpn
  check "/run/vnddvpnd is root:tvpn 1770" output_has '^root:tvpn 1770$' in_root stat -c '%U:%G %a' /run/vnddvpnd
  check "vnddmgr is loaded at boot (modules-load.d)" grep -qx vnddmgr "$ROOT/usr/lib/modules-load.d/vnddmgr.conf"
}

# The kernels of the copy that have their headers: DKMS builds for these.
kernels_with_headers() {
  local d
  for d in "$ROOT"/lib/modules/*/; do
    [[ -e $d/build/include ]] && basename "$d"
  done
}

# DKMS says installed, and depmod finds a vnddmgr made for that kernel.
module_installed() {
  local kernel=$1 version=$2 vermagic
  output_has ': installed' in_root dkms status -m vnddmgr -v "$version" -k "$kernel" || return 1
  vermagic=$(in_root modinfo -k "$kernel" -F vermagic vnddmgr) || return 1
  echo "vermagic: $vermagic"
  [[ $vermagic == "$kernel "* ]]
}
module_absent() { ! in_root modinfo -k "$1" vnddmgr >/dev/null 2>&1; }

# module_built_anywhere VERSION KERNEL...: installed for at least one of them.
module_built_anywhere() {
  local version=$1 kernel
  shift
  for kernel in "$@"; do module_installed "$kernel" "$version" && return 0; done
  return 1
}

# At its installation DKMS builds for the running kernel and the newest one
# (for all, in a chroot whose host runs another kernel); each kernel installed
# later gets the module from the kernel's postinst hook. Both paths are run:
# the hook for every kernel DKMS left out, and for the first kernel again
# after removing its module, as an upgrade to that kernel would.
check_dkms() {
  local version=$1 kernel kernels
  mapfile -t kernels < <(kernels_with_headers)
  check "kernel headers to build against are installed (${kernels[*]})" test "${#kernels[@]}" -gt 0
  ((${#kernels[@]} > 0)) || return 0
  check "DKMS built vnddmgr $version at installation" module_built_anywhere "$version" "${kernels[@]}"
  for kernel in "${kernels[@]}"; do
    module_installed "$kernel" "$version" >>"$LOG" 2>&1 ||
      check "the kernel postinst hook builds vnddmgr for $kernel" in_root /etc/kernel/postinst.d/dkms "$kernel"
    check "vnddmgr $version built and installed for $kernel" module_installed "$kernel" "$version"
  done
  kernel=${kernels[0]}
  check "dkms remove for $kernel" in_root dkms remove "vnddmgr/$version" -k "$kernel"
  check "no vnddmgr for $kernel after dkms remove" module_absent "$kernel"
  check "the kernel postinst hook builds vnddmgr for $kernel" in_root /etc/kernel/postinst.d/dkms "$kernel"
  check "vnddmgr installed again for $kernel" module_installed "$kernel" "$version"
}

no_module_left() {
  local found
  found=$(find "$ROOT/lib/modules" -name 'vnddmgr.ko*') || return 1
  [[ -z $found ]] || { echo "$found"; return 1; }
}

check_purged() {
  local version=$1
  check "tvpn is gone" not_installed tvpn
  check "vnddmgr-dkms is gone" not_installed vnddmgr-dkms
  check "no vnddmgr.ko in any kernel's modules" no_module_left
  check "no module source or DKMS tree" test ! -e "$ROOT/usr/src/vnddmgr-$version" -a ! -e "$ROOT/var/lib/dkms/vnddmgr"
  # Debian keeps system users on purge: files the user owns may remain
  # (adduser(8), systemd-sysusers never delete accounts).
  check "the tvpn user is kept (Debian keeps system users)" in_root getent passwd tvpn
}

# The account files changed only by the tvpn lines (the file, or its "-"
# backup, minus tvpn's lines is the host's file).
accounts_only_add_tvpn() {
  local upper=$1 path
  for path in etc/passwd etc/group etc/shadow etc/gshadow etc/passwd- etc/group- etc/shadow- etc/gshadow-; do
    [[ -e $upper/$path ]] || continue
    diff <(grep -v '^tvpn:' "$upper/$path") "/${path%-}" || { echo "$path changed beyond the tvpn lines"; return 1; }
  done
}

# What may remain after the purge, none of it the packages' files: dpkg's
# database and log, man-db's index (its trigger ran and tags its cache
# directories), depmod's indexes, the account files (checked above) and the
# module signing key DKMS makes at its first build and keeps for every module
# (/var/lib/dkms/mok.*, possibly enrolled in the firmware).
leftovers() {
  local all left
  all=$(overlay_changes "$1") || return 1
  printf 'the copy changed:\n%s\n' "$all"
  left=$(grep -vE '^changed (var/lib/dpkg/(status|status-old|available|triggers/[^/]+)|var/log/dpkg\.log|var/cache/man/([^/]+/)?index\.db|usr/lib/modules/[^/]+/modules\.[a-z.]+|etc/(passwd|group|shadow|gshadow)-?)$' <<<"$all" |
    grep -vE '^new (var/cache/man/([^/]+/)?CACHEDIR\.TAG|var/lib/dkms/mok\.(key|pub))$') || true
  [[ -z $left ]] || { printf 'left behind:\n%s\n' "$left"; return 1; }
}

check_nothing_left() {
  local upper=$1
  check "the account files changed only by the tvpn user" accounts_only_add_tvpn "$upper"
  check "nothing else left behind (overlay audit)" leftovers "$upper"
}
