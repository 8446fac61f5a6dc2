#!/usr/bin/env bash
# -cipher des, the original TVPN's format for talking to old peers: two
# daemons in DES mode carry a checked TCP transfer; they warn that it is
# insecure; every datagram on the underlay has the original framing, DES-ECB
# over [4-byte big-endian length | frame | zeros to a multiple of 8], so its
# size is the frame's plus 4 rounded up to 8; and a captured datagram,
# decrypted here independently with the openssl tool and the original key
# (the password's first 8 bytes with odd parity), holds exactly that.
set -u
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/secure.sh"

require_pwd -cipher des
readme_topology || fail "topology"
password="oldtvpn-secret"
start_daemon h1 198.51.100.1 198.51.100.2 -pwd "$password" -cipher des
start_daemon h2 198.51.100.2 198.51.100.1 -pwd "$password" -cipher des
wait_ping lan1 192.168.2.10 15 || fail "the DES tunnel did not come up"
for h in h1 h2; do
  grep -q -i 'insecure' "${DLOG[$h]}" || fail "$h: no warning that -cipher des is insecure"
done

capture_start h1 wan0 "$TVPN_TMP/des.pcap"
# Pings from vlan3 to vlan3 of 1000..1007 bytes: frames of 1042..1049 bytes.
for s in $(seq 1000 1007); do
  in_ns h1 ping -c1 -W2 -s "$s" -p deadbeef 192.168.3.2 >/dev/null || fail "DES ping of $s bytes failed"
done
transfer "TCP transfer over DES" lan1 lan2 192.168.2.10 8
capture_stop

lengths=$(capture_lengths "$TVPN_TMP/des.pcap" "src host 198.51.100.1")
count=$(wc -l <<<"$lengths")
bad=$(awk '$1 % 8 != 0' <<<"$lengths" | head -n3 | tr '\n' ' ')
[[ -z "$bad" ]] || fail "datagrams whose size is not a multiple of 8: $bad"
for s in $(seq 1000 1007); do
  want=$(((s + 42 + 4 + 7) / 8 * 8))
  grep -qx "$want" <<<"$lengths" || fail "no $want-byte datagram for the $((s + 42))-byte frame of a $s-byte ping"
done
echo "$count datagrams from h1, all multiples of 8; frames of 1042..1049 bytes became datagrams of 1048 and 1056 bytes"

# des_key PASSWORD: the original key in hex: 8 bytes, zero-padded, odd parity.
des_key() {
  local pw=$1 i b ones key=""
  for i in 0 1 2 3 4 5 6 7; do
    b=0
    ((i < ${#pw})) && b=$(printf '%d' "'${pw:i:1}")
    ones=0
    for bit in 1 2 3 4 5 6 7; do ones=$((ones + ((b >> bit) & 1))); done
    b=$(((b & 0xfe) | (ones % 2 == 0 ? 1 : 0)))
    key+=$(printf '%02x' "$b")
  done
  echo "$key"
}
# The 1000-byte ping's request, h1 -> h2: a 1048-byte datagram.
payload=$(tcpdump -r "$TVPN_TMP/des.pcap" -n -x 'src host 198.51.100.1 and udp[4:2] = 1056' 2>/dev/null |
  awk '/^[^ \t]/ {if (p != "") exit; next} {for (i = 2; i <= NF; i++) p = p $i} END {print p}')
# Skip the IPv4 header (IHL words) and the 8-byte UDP header.
ihl=$((16#${payload:1:1} * 4))
cipher=${payload:$(((ihl + 8) * 2))}
((${#cipher} == 2096)) || fail "could not extract the 1048-byte datagram from the capture (${#cipher} hex digits)"
plain=$(tr 'a-f' 'A-F' <<<"$cipher" | basenc --base16 -d |
  openssl enc -d -des-ecb -provider legacy -provider default -nopad -K "$(des_key "$password")" 2>/dev/null |
  od -An -tx1 -v | tr -d ' \n')
((${#plain} == 2096)) || fail "openssl could not decrypt the datagram with the original key"
[[ ${plain:0:8} == 00000412 ]] || fail "decrypted length field is ${plain:0:8}, want 00000412 (1042)"
[[ ${plain:32:4} == 0800 ]] || fail "decrypted frame's EtherType is ${plain:32:4}, want 0800 (IPv4)"
[[ ${plain:8:28} != *deadbeefdeadbeef* && $plain == *deadbeefdeadbeefdeadbeef* ]] ||
  fail "the decrypted frame does not hold the ping's deadbeef pattern"
[[ ${plain:2092:4} == 0000 ]] || fail "the padding after the frame is not zero: ${plain:2092:4}"
echo "a captured datagram decrypts with the original key to [00000412 | 1042-byte frame | 0000]"
for h in h1 h2; do alive "$h"; stop_daemon "$h"; done
echo "ok: -cipher des speaks the original framing"
