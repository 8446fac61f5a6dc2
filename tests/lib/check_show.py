#!/usr/bin/env python3
"""Checks `vnddconfig show` output for tests/e2e/show_metrics_test.sh.

  check_show.py json FILE                  the JSON schema (vnddconfig(8)); prints IF/PEER key=value facts
  check_show.py prometheus FILE            the text exposition format; prints the samples, one a line
  check_show.py grew BEFORE AFTER IF PEER N  AFTER's traffic counters of PEER exceed BEFORE's by N or more

Exits 1 with a reason on the first thing wrong."""
import json
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
STATES = {"clear", "waiting", "handshaking", "up", "not-responding"}
COUNTERS = ["receive_bytes", "receive_packets", "transmit_bytes", "transmit_packets", "fragments_sent",
            "frames_fragmented", "frames_reassembled", "handshakes_initiated", "handshakes_completed",
            "handshakes_auth_failed", "handshakes_unconfirmed", "handshakes_rate_limited", "endpoint_moves",
            "mss_clamped"]
REASONS = ["not-from-peer", "truncated", "malformed", "too-big", "device-error", "send-error", "auth", "replay",
           "bad-version", "no-session", "rate-limited", "crypto-error", "wrong-name", "queue-full"]
PEER_DROPS = REASONS + ["reassembly-timeout", "reassembly-evicted", "flood-limited"]
INTERFACE_DROPS = REASONS + ["unknown-source"]


def fail(why):
    print("check_show: " + why)
    sys.exit(1)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def is_seconds(v):
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0)


def check_keys(obj, keys, where):
    if set(obj) != set(keys):
        fail(f"{where}: keys {sorted(obj)} instead of {sorted(keys)}")


def check_drops(drops, reasons, where):
    check_keys(drops, reasons, where + " drops")
    for r, v in drops.items():
        if not is_int(v):
            fail(f"{where} drops {r}: {v!r} is not a count")


def check_peer(p, where):
    keys = ["name", "endpoint", "endpoint_learned", "codec", "state", "last_handshake_seconds_ago",
            "last_receive_seconds_ago", "path_mtu", "drops"] + COUNTERS
    check_keys(p, keys, where)
    if not isinstance(p["name"], str) or not p["name"]:
        fail(f"{where}: name {p['name']!r}")
    if p["endpoint"] is not None and not re.fullmatch(r"(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:%\w]+\]):\d+", p["endpoint"]):
        fail(f"{where}: endpoint {p['endpoint']!r}")
    if not isinstance(p["endpoint_learned"], bool):
        fail(f"{where}: endpoint_learned {p['endpoint_learned']!r}")
    if p["codec"] not in ("clear", "des", "pwd") or p["state"] not in STATES:
        fail(f"{where}: codec {p['codec']!r} state {p['state']!r}")
    for k in ("last_handshake_seconds_ago", "last_receive_seconds_ago"):
        if not is_seconds(p[k]):
            fail(f"{where}: {k} {p[k]!r} is not seconds or null")
    if p["path_mtu"] is not None and not (is_int(p["path_mtu"]) and 576 <= p["path_mtu"] <= 65535):
        fail(f"{where}: path_mtu {p['path_mtu']!r}")
    for k in COUNTERS:
        if not is_int(p[k]):
            fail(f"{where}: {k} {p[k]!r} is not a count")
    check_drops(p["drops"], PEER_DROPS, where)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    check_keys(doc, ["schema", "version", "interfaces"], "document")
    if doc["schema"] != "tvpn-show" or doc["version"] != 1:
        fail(f"schema {doc['schema']!r} version {doc['version']!r}")
    for ifc in doc["interfaces"]:
        where = "interface " + str(ifc.get("name"))
        if ifc.get("daemon") is False:
            check_keys(ifc, ["name", "daemon", "error"], where)
            print(f"{ifc['name']} daemon=false")
            continue
        check_keys(ifc, ["name", "daemon", "backend", "mtu", "listen", "drops", "peers"], where)
        if ifc["daemon"] is not True or ifc["backend"] not in ("tap", "vndd") or not is_int(ifc["mtu"]):
            fail(f"{where}: daemon/backend/mtu {ifc['daemon']!r} {ifc['backend']!r} {ifc['mtu']!r}")
        if not isinstance(ifc["listen"], list) or not all(isinstance(x, str) for x in ifc["listen"]):
            fail(f"{where}: listen {ifc['listen']!r}")
        check_drops(ifc["drops"], INTERFACE_DROPS, where)
        print(f"{ifc['name']} daemon=true backend={ifc['backend']} mtu={ifc['mtu']} listen={','.join(ifc['listen'])}")
        for p in ifc["peers"]:
            check_peer(p, f"{where} peer {p.get('name')}")
            facts = {k: p[k] for k in ("state", "codec", "endpoint", "path_mtu", "last_handshake_seconds_ago")}
            facts.update({k: p[k] for k in COUNTERS})
            print(f"{ifc['name']} {p['name']} " + " ".join(f"{k}={json.dumps(v)}" for k, v in facts.items()))


def parse_labels(text, where):
    """'a="x",b="y\\"z"' -> dict; escapes \\\\ \\" \\n only."""
    labels, i = {}, 0
    while i < len(text):
        m = re.match(r"([^=]*)=\"", text[i:])
        if not m or not LABEL.match(m.group(1)):
            fail(f"{where}: bad label at {text[i:]!r}")
        name, i, value = m.group(1), i + m.end(), ""
        while True:
            if i >= len(text):
                fail(f"{where}: unterminated label value")
            c = text[i]
            if c == "\\":
                nxt = text[i + 1:i + 2]
                if nxt not in ("\\", '"', "n"):
                    fail(f"{where}: bad escape \\{nxt}")
                value += "\n" if nxt == "n" else nxt
                i += 2
            elif c == '"':
                i += 1
                break
            elif c == "\n":
                fail(f"{where}: raw newline in a label value")
            else:
                value += c
                i += 1
        if name in labels:
            fail(f"{where}: label {name} twice")
        labels[name] = value
        if i < len(text):
            if text[i] != ",":
                fail(f"{where}: expected ',' at {text[i:]!r}")
            i += 1
    return labels


def check_prometheus(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        fail("the text does not end with a newline")
    helps, types, done, current, series = {}, {}, set(), None, set()
    for n, line in enumerate(lines[:-1], 1):
        where = f"line {n}"
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not NAME.match(parts[2]):
                fail(f"{where}: {line!r}")
            name = parts[2]
            if name in done:
                fail(f"{where}: family {name} again after its samples")
            if line.startswith("# HELP "):
                if name in helps:
                    fail(f"{where}: a second HELP for {name}")
                helps[name] = parts[3]
            else:
                if name in types or parts[3] not in ("counter", "gauge"):
                    fail(f"{where}: TYPE {line!r}")
                if name not in helps:
                    fail(f"{where}: TYPE before HELP for {name}")
                if (parts[3] == "counter") != name.endswith("_total"):
                    fail(f"{where}: {name} is a {parts[3]}")
                types[name] = parts[3]
            if current is not None and current != name:
                done.add(current)
            current = name
            continue
        if line.startswith("#") or not line:
            fail(f"{where}: unexpected {line!r}")
        m = re.fullmatch(r"([^{ ]+)(?:\{(.*)\})? (\S+)", line)
        if not m:
            fail(f"{where}: not a sample: {line!r}")
        name, labels, value = m.group(1), parse_labels(m.group(2) or "", where), m.group(3)
        if not NAME.match(name):
            fail(f"{where}: metric name {name!r}")
        if name != current or name not in helps or name not in types:
            fail(f"{where}: {name} without its HELP and TYPE right before its samples")
        try:
            v = float(value)
        except ValueError:
            fail(f"{where}: value {value!r}")
        if types[name] == "counter" and v < 0:
            fail(f"{where}: a negative counter")
        key = (name, tuple(sorted(labels.items())))
        if key in series:
            fail(f"{where}: the same series twice")
        series.add(key)
        print(name + "{" + ",".join(f"{k}={v}" for k, v in sorted(labels.items())) + "} " + value)
    if set(helps) != set(types):
        fail(f"HELP without TYPE: {sorted(set(helps) ^ set(types))}")


def grew(before, after, ifname, peer, n):
    def peer_of(path):
        with open(path, encoding="utf-8") as f:
            for ifc in json.load(f)["interfaces"]:
                for p in ifc.get("peers", []):
                    if ifc["name"] == ifname and p["name"] == peer:
                        return p
        fail(f"no peer {peer} of {ifname} in {path}")
    b, a = peer_of(before), peer_of(after)
    for k in ("receive_packets", "transmit_packets", "receive_bytes", "transmit_bytes"):
        least = n if k.endswith("packets") else 64 * n
        if a[k] - b[k] < least:
            fail(f"{ifname} {peer}: {k} grew from {b[k]} to {a[k]}, not by {least}")
    print(f"{ifname} {peer}: received {a['receive_packets'] - b['receive_packets']} packets, "
          f"sent {a['transmit_packets'] - b['transmit_packets']}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "json":
        check_json(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "prometheus":
        check_prometheus(sys.argv[2])
    elif len(sys.argv) == 7 and sys.argv[1] == "grew":
        grew(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    else:
        fail(__doc__)
