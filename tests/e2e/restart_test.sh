#!/usr/bin/env bash
# A daemon killed (SIGKILL) in the middle of a TCP transfer and started
# again: traffic resumes and the same TCP connection completes intact.
set -u
. "$(dirname "$0")/../lib/netns.sh"

readme_topology || { echo "topology failed"; exit 1; }
start_bg h1 "$TVPN_TMP/h1.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
h1=$LAST_PID
start_bg h2 "$TVPN_TMP/h2.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.2 33000 198.51.100.1 33000
wait_ping lan1 192.168.2.10 10 || { echo "tunnel did not come up"; exit 1; }

# A paced transfer (1 MiB every 0.1 s, about 4 s) so that the kill lands mid-way.
head -c $((1024 * 1024)) /dev/urandom >"$TVPN_TMP/chunk"
for _ in $(seq 40); do cat "$TVPN_TMP/chunk"; done | sha256sum | cut -d' ' -f1 >"$TVPN_TMP/expected"
in_ns lan2 timeout 60 socat -u TCP-LISTEN:5002,reuseaddr CREATE:"$TVPN_TMP/received" &
listener=$!
wait_for 5 in_ns lan2 sh -c "ss -Hltn 'sport = :5002' | grep -q ." || { echo "listener did not start"; exit 1; }
(for _ in $(seq 40); do cat "$TVPN_TMP/chunk"; sleep 0.1; done | in_ns lan1 timeout 60 socat -u - TCP:192.168.2.10:5002) &
sender=$!
sleep 1
kill -9 "$h1"
in_ns h1 ping -c1 -W1 192.168.3.2 >/dev/null 2>&1 && { echo "ping works with the daemon dead?"; exit 1; }
sent_at_kill=$(stat -c %s "$TVPN_TMP/received" 2>/dev/null || echo 0)

start_bg h1 "$TVPN_TMP/h1b.log" "$BUILD/vnddvpnd" -tunnel vlan3 198.51.100.1 33000 198.51.100.2 33000
wait_ping lan1 192.168.2.10 10 || { echo "traffic did not resume after restart"; cat "$TVPN_TMP/h1b.log"; exit 1; }
wait "$sender" || { echo "the interrupted transfer failed"; exit 1; }
wait "$listener" || { echo "the receiver failed"; exit 1; }
got=$(sha256sum <"$TVPN_TMP/received" | cut -d' ' -f1)
[[ $got == "$(cat "$TVPN_TMP/expected")" ]] || { echo "interrupted transfer corrupted ($(stat -c %s "$TVPN_TMP/received") bytes)"; exit 1; }
((sent_at_kill < 40 * 1024 * 1024)) || { echo "the transfer had finished before the kill: test proves nothing"; exit 1; }
echo "the connection survived the restart: $sent_at_kill bytes before the kill, 40 MiB intact in the end"
tcp_transfer lan1 lan2 192.168.2.10 8 || exit 1
