"""Reads and trades on the simulator through Kalshi's official Python client (kalshi-python-sync 3.34.0), unchanged.

Usage: kalshi_python_conformance.py BASE_URL KEY_ID PRIVATE_KEY_PEM_PATH
Prints one line per check, "ok <name>" or "fail <name>: <reason>", and exits 0 when every check passed.
Every answer goes through the client's own models, which validate it strictly (required fields, enums). The client
signs every request itself (RSA-PSS over timestamp + method + path), so a pass also proves that the simulator
verifies signatures made by Python's `cryptography`.
"""
import sys
import uuid

import kalshi_python_sync as k

base, key_id, key_path = sys.argv[1:4]
pem = open(key_path).read()
client = k.ApiClient(k.Configuration(host=base))
client.kalshi_auth = k.KalshiAuth(key_id, pem)
failures = 0


def check(name, fn):
    global failures
    try:
        detail = fn()
        print(f"ok {name}" + (f" ({detail})" if detail is not None else ""))
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        failures += 1
        print(f"fail {name}: {type(e).__name__}: {str(e)[:300]}".replace("\n", " "))


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


exchange = k.ExchangeApi(client)
markets = k.MarketApi(client)
events = k.EventsApi(client)
portfolio = k.PortfolioApi(client)
orders = k.OrdersApi(client)

# Public reads.
check("exchange status", lambda: exchange.get_exchange_status().trading_active)
check("markets", lambda: len(markets.get_markets(limit=5, status="open").markets))
check("events with nested markets", lambda: len(events.get_events(with_nested_markets=True).events[0].markets))
open_markets = markets.get_markets(limit=200, status="open").markets
# The market nearest the money: its book has both sides.
market = min(open_markets, key=lambda m: abs(float(m.yes_bid_dollars) + float(m.yes_ask_dollars) - 1.0))
ticker = market.ticker
check("market carries its shard", lambda: market.exchange_index)
check("orderbook", lambda: len(markets.get_market_orderbook(ticker).orderbook_fp.yes_dollars or []))

# Signed calls.
check("balance", lambda: portfolio.get_balance().balance)
check("balance breakdown per shard", lambda: {b.exchange_index: b.balance for b in portfolio.get_balance().balance_breakdown})
cid = str(uuid.uuid4())
resting = {}


def create():
    r = orders.create_order_v2(ticker=ticker, side="bid", count="2", price="0.02", time_in_force="good_till_canceled",
                               self_trade_prevention_type="taker_at_cross", client_order_id=cid)
    resting["id"] = r.order_id
    expect(r.remaining_count == "2.00", f"remaining {r.remaining_count}")
    return r.order_id


def repeat():
    try:
        orders.create_order_v2(ticker=ticker, side="bid", count="2", price="0.02", time_in_force="good_till_canceled",
                               self_trade_prevention_type="taker_at_cross", client_order_id=cid)
    except k.ApiException as e:
        expect(e.status == 409, f"status {e.status}")
        return e.status
    raise AssertionError("a repeated client_order_id was accepted")


check("create V2 order", create)
check("repeated client_order_id refused", repeat)
check("get order", lambda: orders.get_order(resting["id"]).order.status)
check("list orders", lambda: len(orders.get_orders(ticker=ticker, status="resting").orders))
check("cancel routed by ticker", lambda: orders.cancel_order_v2(resting["id"], market_ticker=ticker).reduced_by)
check("cancelled order reads back", lambda: orders.get_order(resting["id"]).order.status)


def take():
    r = orders.create_order_v2(ticker=ticker, side="bid", count="1", price="0.99", time_in_force="immediate_or_cancel",
                               self_trade_prevention_type="taker_at_cross", client_order_id=str(uuid.uuid4()))
    expect(r.fill_count == "1.00", f"filled {r.fill_count}")
    return r.fill_count


check("IOC fills", take)
check("fills", lambda: len(portfolio.get_fills(ticker=ticker).fills))
check("positions", lambda: [p.position_fp for p in portfolio.get_positions(ticker=ticker).market_positions])
check("settlements", lambda: len(portfolio.get_settlements().settlements))


def wrong_key():
    other = k.ApiClient(k.Configuration(host=base))
    other.kalshi_auth = k.KalshiAuth("no-such-key", pem)
    try:
        k.PortfolioApi(other).get_balance()
    except k.ApiException as e:
        expect(e.status == 401, f"status {e.status}")
        return e.status
    raise AssertionError("an unknown key was accepted")


check("a wrong key is refused", wrong_key)
sys.exit(1 if failures else 0)
