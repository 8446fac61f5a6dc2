#!/usr/bin/env bash
# The peer resolver looks a host name up again over DNS under the system
# call filter: h1 names its peer peer.tvpn.test, which only a DNS server in
# h1's namespace knows (h1's own resolv.conf and hosts, /etc/netns); nobody
# answers at that address, so after 30 s h1 asks again (getaddrinfo_a: a
# thread, a UDP socket to the server, /etc files), and is still alive, with
# the filter on, once the server has had that second query.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd
make_host h1 || fail "namespace"
in_ns h1 "$BUILD/vnddconfig" add vlan3 >/dev/null || fail "vnddconfig add"
etc=/etc/netns/$(ns h1)
mkdir -p "$etc" && TVPN_ETC_DIRS+=("$etc")
printf 'nameserver 127.0.0.1\n' >"$etc/resolv.conf"
printf '127.0.0.1 localhost\n' >"$etc/hosts"
queries=$TVPN_TMP/queries.log
# A DNS server for one name: every A query for it gets 127.0.0.2, others none.
start_bg h1 "$queries" python3 -u -c '
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
while True:
    data, peer = s.recvfrom(512)
    question = data[12:data.index(b"\0", 12) + 5]
    a = struct.unpack(">H", question[-4:-2])[0] == 1 and b"peer\x04tvpn\x04test" in question
    print("query", "A" if a else "other", flush=True)
    answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 5, 4) + socket.inet_aton("127.0.0.2") if a else b""
    s.sendto(data[:2] + struct.pack(">HHHHH", 0x8180, 1, 1 if a else 0, 0, 0) + question + answer, peer)
'
wait_for 10 in_ns h1 sh -c "ss -Hlnu 'sport = :53' | grep -q ." || fail "the DNS server did not start"
start_daemon h1 127.0.0.1 peer.tvpn.test -pwd "resolver filter lantern quiver basalt" -v
wait_for 10 grep -q "tunnel vlan3 up: 127.0.0.1:33000 <-> 127.0.0.2:33000" "${DLOG[h1]}" ||
  fail "peer.tvpn.test was not resolved at start-up"
before=$(grep -c "query A" "$queries")
grep -q '^Seccomp:	2' "/proc/${DPID[h1]}/status" || fail "h1 runs without the filter"
wait_for 50 sh -c "[ \$(grep -c 'query A' '$queries') -gt $before ]" || fail "h1 did not look the peer up again"
sleep 1
alive h1
echo "h1 asked the DNS server again under the filter ($(grep -c 'query A' "$queries") A queries in all)"
stop_daemon h1
echo "ok: the resolver's DNS lookups pass the system call filter"
