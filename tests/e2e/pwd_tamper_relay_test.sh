#!/usr/bin/env bash
# An attacker on the path (udp_relay on host mid) flips bits in, duplicates,
# reorders and replays the data datagrams of an encrypted tunnel. Every
# tampered datagram is dropped and counted, every duplicate and replay is
# dropped as a replay, the reordered ones (within the replay window) are
# delivered, and TCP transfers both ways arrive intact; once with the
# default rekey time and once rekeying every second, so that faults also
# straddle session changes.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

# check HOST DIRECTION: HOST receives what the relay sent in DIRECTION.
check() {
  local host=$1 dir=$2 flipped dups replayed reordered
  flipped=$(relay_count "$dir" flipped)
  dups=$(relay_count "$dir" duplicated)
  replayed=$(relay_count "$dir" replayed)
  reordered=$(relay_count "$dir" reordered)
  ((flipped > 0 && dups > 0 && replayed > 0 && reordered > 0)) ||
    fail "relay $dir did too little to test (flipped=$flipped duplicated=$dups replayed=$replayed reordered=$reordered)"
  alive "$host"
  daemon_status "$host"
  local drops replays total lost
  drops=$(grep drops: <<<"$STATUS" | tail -n1)
  echo "$host: $drops"
  replays=$(counter replay)
  total=$(drops_total)
  # A flip in the counter field may turn a tampered datagram into an apparent
  # replay, so only the sum must match, exactly unless the kernel dropped
  # datagrams before the daemon saw them.
  lost=$(udp_in_errors "$host")
  ((total <= flipped + dups + replayed && total + lost >= flipped + dups + replayed)) ||
    fail "$host: $total drops, but the relay tampered with $flipped, duplicated $dups and replayed $replayed ($drops; kernel UDP receive errors: $lost)"
  ((lost == 0)) || echo "$host: the kernel dropped $lost datagrams on receive; the counts are checked within that"
  ((replays >= dups + replayed)) ||
    fail "$host: replay drops $replays, but the relay sent $dups duplicates and $replayed replays"
  (($(counter auth) > 0)) || fail "$host: no auth drops although the relay flipped bits in $flipped datagrams"
  echo "$host: $flipped tampered and $((dups + replayed)) replayed datagrams dropped and counted;" \
    "$reordered reordered ones delivered; $(grep -o 'rekeys=[0-9]*' <<<"$STATUS")"
}

# attack WHAT [OPTION...]: the relay's faults against daemons with the options.
attack() {
  local what=$1; shift
  echo "== $what"
  # Faults only on datagrams of 200 bytes or more: the data, not the handshake,
  # so that the counts must match exactly.
  start_relay --flip 0.02 --dup 0.02 --reorder 0.05 --reorder-depth 16 --replay 0.02 --min-size 200
  start_daemon h1 198.51.100.1 198.51.100.254 -pwd "relay test cobalt lantern" "$@"
  start_daemon h2 203.0.113.2 203.0.113.254 -pwd "relay test cobalt lantern" "$@"
  wait_ping lan1 192.168.2.10 15 || fail "$what: the tunnel did not come up through the relay"
  transfer "TCP transfer lan1 -> lan2 through the relay" lan1 lan2 192.168.2.10 16
  transfer "TCP transfer lan2 -> lan1 through the relay" lan2 lan1 192.168.1.10 8 5002
  wait_ping lan1 192.168.2.10 5 || fail "$what: the tunnel stopped working after the attack"
  stop_relay
  sed 's/^/  /' "$RELAY_LOG"
  check h2 "a->b"
  check h1 "b->a"
  for h in h1 h2; do stop_daemon "$h"; done
}

require_pwd -rekey 1
relay_topology || fail "topology"
attack "default rekey time"
attack "rekey every second" -rekey 1
echo "ok: tampering, duplication, reordering and replay through the relay"
