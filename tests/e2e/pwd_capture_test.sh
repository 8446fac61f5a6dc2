#!/usr/bin/env bash
# What an eavesdropper on the underlay sees. A known plaintext marker sent
# through the tunnel shows up in a capture of the underlay in clear mode (so
# the check can see it), and neither the marker nor the password shows up with
# -pwd.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
readme_topology || fail "topology"
marker="TVPN-PLAINTEXT-MARKER-$RANDOM$RANDOM"
password="pw-$RANDOM-$RANDOM-secret"

# send_marker: the marker through the tunnel, in UDP datagrams and a TCP stream.
send_marker() {
  local i
  for i in $(seq 10); do
    echo "$marker $i" | in_ns lan1 socat -u - UDP-SENDTO:192.168.2.10:7777
  done
  for i in $(seq 2000); do echo "$marker line $i"; done >"$TVPN_TMP/marker.txt"
  in_ns lan2 timeout 20 socat -u TCP-LISTEN:5003,reuseaddr "CREATE:$TVPN_TMP/marker.recv" &
  local listener=$!
  wait_for 5 in_ns lan2 sh -c "ss -Hltn 'sport = :5003' | grep -q ." || fail "TCP listener on lan2 did not start"
  in_ns lan1 timeout 20 socat -u "OPEN:$TVPN_TMP/marker.txt" TCP:192.168.2.10:5003 || fail "TCP send of the marker failed"
  wait "$listener" || fail "TCP receive of the marker failed"
  cmp -s "$TVPN_TMP/marker.txt" "$TVPN_TMP/marker.recv" || fail "the marker file arrived damaged"
}

# run_mode NAME [OPTION...]: daemons with the options, the marker sent while
# h1's underlay is captured into $TVPN_TMP/NAME.pcap.
run_mode() {
  local name=$1; shift
  start_daemon h1 198.51.100.1 198.51.100.2 "$@"
  start_daemon h2 198.51.100.2 198.51.100.1 "$@"
  wait_ping lan1 192.168.2.10 15 || fail "$name: lan1 cannot reach lan2"
  capture_start h1 wan0 "$TVPN_TMP/$name.pcap"
  send_marker
  capture_stop
  stop_daemon h1
  stop_daemon h2
}

run_mode clear
seen=$(grep -a -c "$marker" "$TVPN_TMP/clear.pcap")
((seen > 0)) || fail "clear mode: the marker is not in the underlay capture, so this check cannot see plaintext"
echo "clear mode: the marker is visible on the underlay ($seen capture lines), as expected"

run_mode pwd -pwd "$password"
datagrams=$(capture_lengths "$TVPN_TMP/pwd.pcap" | wc -l)
bytes=$(capture_lengths "$TVPN_TMP/pwd.pcap" "src host 198.51.100.1" | awk '{s += $1} END {print s + 0}')
size=$(stat -c %s "$TVPN_TMP/marker.txt")
((bytes > size)) || fail "-pwd mode: h1 sent only $bytes bytes on the underlay, less than the $size-byte marker file" \
  "(tcpdump lost $(capture_drops "$TVPN_TMP/pwd.pcap" || echo '?') packets of the capture)"
grep -a -q "$marker" "$TVPN_TMP/pwd.pcap" && fail "-pwd mode: the plaintext marker is visible on the underlay"
grep -a -q "$password" "$TVPN_TMP/pwd.pcap" && fail "-pwd mode: the password is visible on the underlay"
grep -a -q "line 1999" "$TVPN_TMP/pwd.pcap" && fail "-pwd mode: the marker file's text is visible on the underlay"
echo "ok: -pwd mode: $datagrams datagrams ($bytes bytes from h1) captured, no marker and no password in them"
