#!/usr/bin/env python3
"""An independent client for rec.io's bus, written with pyzmq only.

Usage: interop_pyzmq.py FRONTEND BACKEND
Publishes an envelope on `interop.py` until the Swift side answers on `interop.swift`, checks the answer's
envelope, and exits 0. Exits 2 on timeout, 3 on a malformed answer.
"""
import datetime
import json
import sys
import time

import zmq


def envelope(seq, data):
    ts = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps({"v": 1, "type": "interop.hello", "src": "py@local", "seq": seq, "ts": ts, "data": data}).encode()


def main():
    frontend, backend = sys.argv[1], sys.argv[2]
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    pub.connect(frontend)
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"interop.swift")
    sub.connect(backend)
    deadline = time.time() + 30
    seq = 0
    while time.time() < deadline:
        seq += 1
        pub.send_multipart([b"interop.py", envelope(seq, {"price": "104250.55", "n": seq})])
        if sub.poll(50):
            topic, body = sub.recv_multipart()
            env = json.loads(body)
            ok = topic == b"interop.swift" and env["v"] == 1 and env["src"].endswith("@test") and env["data"].get("reply") is True
            print("python got", topic.decode(), env["src"], env["seq"], env["data"])
            sys.exit(0 if ok else 3)
    sys.exit(2)


if __name__ == "__main__":
    main()
