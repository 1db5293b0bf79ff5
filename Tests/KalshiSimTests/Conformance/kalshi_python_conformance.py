"""Reads the simulator through Kalshi's official Python client (kalshi-python-sync), unchanged.

Usage: kalshi_python_conformance.py BASE_URL KEY_ID PRIVATE_KEY_PEM_PATH
Prints one line per check, "ok <name>" or "fail <name>: <reason>", and exits 0 when every check passed.
The client signs every request itself (RSA-PSS over timestamp + method + path), so a pass also proves that the
simulator verifies signatures made by Python's `cryptography`.
"""
import json
import sys

import kalshi_python_sync as k

base, key_id, key_path = sys.argv[1:4]
config = k.Configuration(host=base)
client = k.ApiClient(config)
# set_kalshi_auth() in 3.2.0 misses its own import of KalshiAuth; install the same object directly.
client.kalshi_auth = k.KalshiAuth(key_id, open(key_path).read())
failures = 0


def check(name, fn):
    global failures
    try:
        detail = fn()
        print(f"ok {name}" + (f" ({detail})" if detail else ""))
    except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
        failures += 1
        print(f"fail {name}: {type(e).__name__}: {str(e)[:300]}".replace("\n", " "))


def raw(response):
    return json.loads(response.data)


exchange = k.ExchangeApi(client)
markets = k.MarketApi(client)
events = k.EventsApi(client)
portfolio = k.PortfolioApi(client)
orders = k.OrdersApi(client)

check("exchange status (model)", lambda: exchange.get_exchange_status().trading_active)
check("balance (model)", lambda: portfolio.get_balance().balance)
# Markets, events and order books: the 3.2.0 models still require integer-cent fields Kalshi removed in 2026, so
# these are read through the client's own signed transport and checked for the current fixed-point shape.
check("markets (signed transport)", lambda: len(raw(markets.get_markets_without_preload_content(limit=5))["markets"]))
check("events with nested markets (signed transport)",
      lambda: len(raw(events.get_events_without_preload_content(with_nested_markets=True))["events"][0]["markets"]))


def first_ticker():
    return raw(markets.get_markets_without_preload_content(limit=1, status="open"))["markets"][0]["ticker"]


check("orderbook (signed transport)", lambda: sorted(raw(markets.get_market_orderbook_without_preload_content(first_ticker()))["orderbook_fp"]))
check("positions (model)", lambda: len(portfolio.get_positions().market_positions or []))
check("fills (signed transport)", lambda: len(raw(portfolio.get_fills_without_preload_content())["fills"]))
check("settlements (signed transport)", lambda: len(raw(portfolio.get_settlements_without_preload_content())["settlements"]))
check("orders (signed transport)", lambda: len(raw(orders.get_orders_without_preload_content())["orders"]))
sys.exit(1 if failures else 0)
