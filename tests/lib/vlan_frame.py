#!/usr/bin/env python3
"""Sends or receives one 802.1Q-tagged frame of a given size on an interface
(AF_PACKET; this kernel has no 8021q module, so the tag is written by hand).

  vlan_frame.py send IF DST_MAC SIZE MARK
  vlan_frame.py recv IF SIZE MARK SECONDS   -> exit 0 when the frame arrived whole

The receiving kernel moves a tag into the packet's metadata (PACKET_AUXDATA),
so the receiver puts it back before comparing sizes."""
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_EXPERIMENTAL = 0x88B5  # IEEE local experimental ethertype
VLAN_ID = 100
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4


def frame(src, dst, size, mark):
    header = dst + src + struct.pack("!HHH", 0x8100, VLAN_ID, ETH_P_EXPERIMENTAL)
    body = (mark.encode() * (size // len(mark) + 1))[: size - len(header)]
    return header + body


def send(ifname, dst, size, mark):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    src = s.getsockname()[4]
    s.send(frame(src, bytes.fromhex(dst.replace(":", "")), size, mark))


def recv(ifname, size, mark, seconds):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((ifname, 0))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not select.select([s], [], [], max(0.0, deadline - time.monotonic()))[0]:
            break
        data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(32))
        tci = None
        for level, kind, value in anc:
            if level == SOL_PACKET and kind == PACKET_AUXDATA:
                status, _, _, _, _, vlan_tci = struct.unpack("IIIHHH", value[:18])
                if status & TP_STATUS_VLAN_VALID:
                    tci = vlan_tci
        if tci is not None:  # the kernel took the tag off: put it back
            data = data[:12] + struct.pack("!HH", 0x8100, tci) + data[12:]
        if len(data) >= 18 and data[12:14] == b"\x81\x00" and mark.encode() * 2 in data:
            got = struct.unpack("!H", data[14:16])[0] & 0xFFF
            print(f"received a {len(data)}-byte frame tagged VLAN {got}")
            return 0 if len(data) == size and got == VLAN_ID else 1
    print("no tagged frame arrived")
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        sys.exit(0)
    sys.exit(recv(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])))
