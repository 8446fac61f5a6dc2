# shellcheck shell=bash disable=SC2034 # ROOT and ROOT_BG_PID are set here for the caller
# A throw-away copy of this system for package tests: the host's root
# filesystem read-only under a tmpfs that takes the writes (overlayfs). Source
# it inside private mount, network and PID namespaces (unshare), so that the
# mounts, the processes and the tmpfs end with them.
#   overlay_root_mount TMP   mounts the copy at TMP/root (ROOT), writes in TMP/upper
#   in_root CMD...           runs CMD in the copy with a clean environment
#   in_root_bg CMD...        the same in the background (ROOT_BG_PID)
#   overlay_changes UPPER    lists what the copy changed: "new|changed|deleted PATH"

overlay_root_mount() {
  local tmp=$1
  mount -t tmpfs -o mode=0700 tvpn-deb "$tmp"
  mkdir "$tmp/upper" "$tmp/work" "$tmp/root"
  ROOT=$tmp/root
  mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$ROOT"
  # The host's devices (/dev/null, /dev/net/tun); this namespace's own
  # processes and network interfaces; empty /run and /tmp, so that nothing
  # of the host's running state (a systemd, a dpkg lock) is seen.
  mount --bind /dev "$ROOT/dev"
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs sysfs "$ROOT/sys"
  mount -t tmpfs tmpfs "$ROOT/run"
  mount -t tmpfs tmpfs "$ROOT/tmp"
}

ROOT_ENV=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
in_root() { chroot "$ROOT" "${ROOT_ENV[@]}" "$@"; }
# in_root_bg CMD...: the same in the background, its PID in ROOT_BG_PID
# (chroot and env exec CMD, so this is CMD's own PID).
in_root_bg() {
  chroot "$ROOT" "${ROOT_ENV[@]}" "$@" &
  ROOT_BG_PID=$!
}

# Every entry of the upper layer compared with the host's file at the same
# path: a whiteout (character device 0:0) is a deleted host file, a file the
# host lacks is new, a file whose content, mode or target differ is changed.
# Directories count only when new; a file copied up unchanged does not count.
overlay_changes() {
  local upper=$1 type path
  while IFS=' ' read -r type path; do
    local mine="$upper/$path" host="/$path"
    case $type in
      c) [[ $(stat -c %t:%T "$mine") == 0:0 ]] && echo "deleted $path" || echo "new $path" ;;
      d) [[ -d $host && ! -L $host ]] || echo "new $path/" ;;
      l) if [[ ! -L $host ]]; then echo "new $path"
         elif [[ $(readlink "$mine") != "$(readlink "$host")" ]]; then echo "changed $path"; fi ;;
      *) if [[ ! -e $host && ! -L $host ]]; then echo "new $path"
         elif [[ -L $host ]] || ! cmp -s "$mine" "$host" ||
           [[ $(stat -c %a "$mine") != "$(stat -c %a "$host")" ]]; then echo "changed $path"; fi ;;
    esac
  done < <(cd "$upper" && find . -mindepth 1 -printf '%y %P\n' | sort -k2)
}
