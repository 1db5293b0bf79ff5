#!/usr/bin/env python3
"""A rec.io strategy plugin in Python: joins the bus with its own identity, reads strike tables and publishes
order intents, within what bus.conf grants it:

    [bus]
    identities = on
    [acl.strategy]
    publish = order.intent.strategy

Credentials: `recio up` makes $RECIO_HOME/<mode>/keys/strategy.password for every [acl.<name>] section (0600);
this script reads it (or --password-file). Endpoints: --frontend/--backend, else bus.conf's [bus] frontend/backend.

    python3 strategy.py [--config bus.conf] [--once] [--min-edge 0.05] [--probe-forbidden]

It buys one contract of a strike's active side when the model's edge on that side is at least --min-edge, at
most once per market. --probe-forbidden also tries to publish a trading halt, which the broker must refuse
(a test uses it); --once stops after the first intent.
"""
import argparse
import datetime
import json
import os
import sys

import zmq


def bus_settings(path):
    """[bus] keys of a bus.conf (only what this script needs)."""
    settings, section = {}, None
    try:
        with open(path) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif "=" in line and section == "bus":
                    key, value = (part.strip() for part in line.split("=", 1))
                    settings[key] = value
    except FileNotFoundError:
        pass
    return settings


class Bus:
    """One publisher and one subscriber socket, authenticated with PLAIN, speaking rec.io's envelope."""

    def __init__(self, name, host, frontend, backend, password):
        self.src = f"{name}@{host}"
        self.seqs = {}
        self.ctx = zmq.Context()
        self.pub = self.ctx.socket(zmq.XPUB)  # XPUB: the broker's subscribe-all tells us it is there
        self.sub = self.ctx.socket(zmq.SUB)
        for s in (self.pub, self.sub):
            s.plain_username = name.encode()
            s.plain_password = password.encode()
            s.linger = 1000
        self.pub.connect(frontend)
        self.sub.connect(backend)

    def wait_for_broker(self, timeout_ms=30000):
        if self.pub.poll(timeout_ms) == 0:
            raise SystemExit("the broker did not answer (wrong credentials?)")
        self.pub.recv()

    def publish(self, topic, type_name, data):
        seq = self.seqs.get(topic, 0) + 1
        self.seqs[topic] = seq
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        envelope = {"v": 1, "type": type_name, "src": self.src, "seq": seq, "ts": now, "data": data}
        self.pub.send_multipart([topic.encode(), json.dumps(envelope, separators=(",", ":")).encode()])

    def messages(self, prefix):
        self.sub.setsockopt(zmq.SUBSCRIBE, prefix.encode())
        while True:
            topic, payload = self.sub.recv_multipart()
            yield topic.decode(), json.loads(payload)


def intent_for(table, row, side, name):
    """An entry intent for one contract of `side` at the row's ask (a decimal string, never a float)."""
    ask = row.get(f"{side}_ask")
    key = f"{name}-{row['ticker']}-{side}".replace(".", "_")[:64]
    return key, {
        "key": key, "source": name, "purpose": "entry", "ticker": row["ticker"], "event_ticker": table["event_ticker"],
        "side": side, "count": "1", "limit_price": ask, "time_in_force": "ioc", "strike": row["strike"],
        "probability": row.get("win_probability"), "strategy": name, "method": "python-example",
        "created_time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", default=os.environ.get("RECIO_CONFIG", "bus.conf"))
    p.add_argument("--name", default="strategy")
    p.add_argument("--host", default=os.environ.get("RECIO_HOST", "local"))
    p.add_argument("--frontend")
    p.add_argument("--backend")
    p.add_argument("--password-file")
    p.add_argument("--min-edge", default="0.05")
    p.add_argument("--once", action="store_true")
    p.add_argument("--probe-forbidden", action="store_true")
    a = p.parse_args()

    bus_conf = bus_settings(a.config)
    home = os.environ.get("RECIO_HOME", os.path.expanduser("~/.recio"))
    password_file = a.password_file or os.path.join(home, bus_conf.get("mode", "sim"), "keys", f"{a.name}.password")
    with open(password_file) as f:
        password = f.read().strip()
    bus = Bus(a.name, a.host, a.frontend or bus_conf.get("frontend", "tcp://127.0.0.1:7100"),
              a.backend or bus_conf.get("backend", "tcp://127.0.0.1:7101"), password)
    bus.wait_for_broker()
    print(f"joined as {bus.src}", file=sys.stderr, flush=True)

    from decimal import Decimal
    min_edge, sent = Decimal(a.min_edge), set()
    for topic, envelope in bus.messages("model.strikes."):
        table = envelope["data"]
        for row in table.get("rows", []):
            side = row.get("active_side")
            edge = row.get(f"edge_{side}") if side in ("yes", "no") else None
            if edge is None or row.get(f"{side}_ask") is None or Decimal(edge) < min_edge:
                continue
            key, intent = intent_for(table, row, side, a.name)
            if key in sent:
                continue
            sent.add(key)
            bus.publish(f"order.intent.{a.name}", "order.intent", intent)
            print(f"intent {key}", file=sys.stderr, flush=True)
            if a.probe_forbidden:
                # Outside the grants: the broker refuses it and counts it under this identity.
                bus.publish("sys.control.trading", "sys.control.trading",
                            {"action": "halt", "holder": a.name, "reason": "probe", "time": intent["created_time"]})
            if a.once:
                bus.pub.close(linger=2000)
                bus.sub.close(linger=0)
                bus.ctx.term()
                return


if __name__ == "__main__":
    main()
