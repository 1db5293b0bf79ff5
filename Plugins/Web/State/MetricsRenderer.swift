import Foundation
import BusWire
import MarketWire
import Money
import TradingWire

/// `/metrics` in Prometheus text format (version 0.0.4), from the dashboard state and this connection's counters.
/// Pure.
public enum MetricsRenderer {
    /// The whole exposition.
    public static func render(state s: DashboardState, bus: BusCounters, clients: Int, pushed: UInt64, dropped: UInt64,
                              now: BusTime) -> String {
        var out = Exposition()
        out.counter("recio_web_bus_published_total", "Messages this plugin published", Double(bus.published))
        out.counter("recio_web_bus_received_total", "Messages this plugin received", Double(bus.received))
        out.counter("recio_web_bus_gaps_total", "Messages missing by sequence", Double(bus.gaps))
        out.counter("recio_web_bus_duplicates_total", "Repeated messages dropped", Double(bus.duplicates))
        out.counter("recio_web_bus_rejected_total", "Malformed messages refused by the bus", Double(bus.rejected))
        out.counter("recio_web_bus_dropped_total", "Messages dropped locally", Double(bus.dropped))
        out.counter("recio_web_malformed_total", "Messages that did not decode as their topic's type", Double(s.malformed))
        out.gauge("recio_web_clients", "Browsers connected to /ws", Double(clients))
        out.counter("recio_web_pushes_total", "Frames pushed to browsers", Double(pushed))
        out.counter("recio_web_push_dropped_total", "Frames dropped for slow browsers", Double(dropped))
        if let b = s.value(.brokerStats, as: BrokerStats.self) { broker(&out, b, previous: s.previousBrokerStats?.decode(BrokerStats.self), s) }
        out.header("recio_orders_total", "counter", "Executor answers seen, by outcome")
        for (outcome, n) in s.orderOutcomes.sorted(by: { $0.key < $1.key }) { out.sample("recio_orders_total", ["outcome": outcome], Double(n)) }
        out.counter("recio_fills_total", "Venue fills seen", Double(s.fills))
        out.counter("recio_filled_contracts_total", "Contracts filled at the venue", Double(s.filledContracts.centis) / 100)
        out.gauge("recio_open_trades", "Trades not final", Double(s.openTrades.count))
        if let tick = s.value(.btcTick, as: BTCTick.self) { out.gauge("recio_btc_price_dollars", "Latest BTC price", tick.price.double) }
        if let st = s.value(.tradeStats, as: TradeStatistics.self) {
            out.gauge("recio_trades_finished", "Finished trades", Double(st.overall.trades))
            out.gauge("recio_trade_wins", "Winning trades", Double(st.overall.wins))
            out.gauge("recio_trade_losses", "Losing trades", Double(st.overall.losses))
            out.gauge("recio_pnl_dollars", "Total PnL of finished trades", st.overall.pnl.double)
            out.gauge("recio_fees_dollars", "Total fees of finished trades", st.overall.fees.double)
            if let w = st.overall.winRate, let v = Double(w) { out.gauge("recio_win_rate", "Wins / (wins + losses)", v) }
        }
        if let t = s.value(.tradingState, as: TradingStatus.self) {
            out.header("recio_trading_state", "gauge", "The executor's trading state (1 for the current one)")
            for m in [TradingMode.active, .reducing, .halted] {
                out.sample("recio_trading_state", ["state": m.rawValue], t.mode == m ? 1 : 0)
            }
        }
        plugins(&out, s, now: now)
        return out.text
    }

    private static func broker(_ out: inout Exposition, _ b: BrokerStats, previous: BrokerStats?, _ s: DashboardState) {
        out.counter("recio_broker_messages_in_total", "Messages into the broker", Double(b.messagesIn))
        out.counter("recio_broker_messages_out_total", "Messages out of the broker", Double(b.messagesOut))
        out.counter("recio_broker_bytes_in_total", "Bytes into the broker", Double(b.bytesIn))
        out.counter("recio_broker_bytes_out_total", "Bytes out of the broker", Double(b.bytesOut))
        out.counter("recio_broker_dropped_total", "Messages the broker refused", Double(b.dropped))
        out.gauge("recio_broker_subscribers", "Subscriber sockets", Double(b.subscribers))
        out.gauge("recio_broker_publishers", "Publisher sockets", Double(b.publishers))
        out.gauge("recio_broker_uptime_seconds", "Broker uptime", b.uptime)
        if let p = previous, b.uptime > p.uptime, b.messagesIn >= p.messagesIn {
            let dt = b.uptime - p.uptime
            out.gauge("recio_broker_messages_in_per_second", "Rate into the broker between its last two reports",
                      Double(b.messagesIn - p.messagesIn) / dt)
            out.gauge("recio_broker_messages_out_per_second", "Rate out of the broker between its last two reports",
                      Double(b.messagesOut &- p.messagesOut) / dt)
        }
    }

    private static func plugins(_ out: inout Exposition, _ s: DashboardState, now: BusTime) {
        let beats = s.all(prefix: "sys.heartbeat.").compactMap { m in m.decode(Heartbeat.self).map { (m, $0) } }
        var restarts: [String: Int] = [:]
        for l in s.all(prefix: "sys.launcher.").compactMap({ $0.decode(LauncherStatus.self) }) {
            for p in l.plugins { restarts[p.name] = p.restarts }
        }
        out.header("recio_plugin_up", "gauge", "1 when the plugin's heartbeat is recent and it is running or degraded")
        for (m, h) in beats {
            let fresh = m.received.seconds(until: now) < 5
            let up = fresh && (h.state == .running || h.state == .degraded)
            out.sample("recio_plugin_up", ["plugin": h.plugin, "host": h.host, "state": h.state.rawValue], up ? 1 : 0)
        }
        out.header("recio_plugin_uptime_seconds", "gauge", "Seconds since the plugin started")
        for (_, h) in beats { out.sample("recio_plugin_uptime_seconds", ["plugin": h.plugin, "host": h.host], h.uptime) }
        out.header("recio_plugin_memory_bytes", "gauge", "Resident memory")
        for (_, h) in beats { out.sample("recio_plugin_memory_bytes", ["plugin": h.plugin, "host": h.host], Double(h.rss)) }
        out.header("recio_plugin_heartbeat_age_seconds", "gauge", "Seconds since the plugin's last heartbeat arrived")
        for (m, h) in beats { out.sample("recio_plugin_heartbeat_age_seconds", ["plugin": h.plugin, "host": h.host], max(m.received.seconds(until: now), 0)) }
        out.header("recio_plugin_bus_delay_seconds", "gauge", "Publish-to-receive delay of the plugin's last heartbeat")
        for (m, h) in beats { out.sample("recio_plugin_bus_delay_seconds", ["plugin": h.plugin, "host": h.host], max(m.ts.seconds(until: m.received), 0)) }
        out.header("recio_plugin_data_age_seconds", "gauge", "Age of each input the plugin depends on")
        for (_, h) in beats {
            for (input, age) in h.dataAges.sorted(by: { $0.key < $1.key }) {
                if let age { out.sample("recio_plugin_data_age_seconds", ["plugin": h.plugin, "input": input], age) }
            }
        }
        out.header("recio_plugin_restarts", "gauge", "Restarts by the launcher")
        for (name, n) in restarts.sorted(by: { $0.key < $1.key }) { out.sample("recio_plugin_restarts", ["plugin": name], Double(n)) }
    }
}

/// Prometheus text, line by line.
struct Exposition {
    var text = ""

    mutating func header(_ name: String, _ type: String, _ help: String) { text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        let l = labels.isEmpty ? "" : "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
        text += "\(name)\(l) \(Self.format(value))\n"
    }
    mutating func counter(_ name: String, _ help: String, _ v: Double) { header(name, "counter", help); sample(name, [:], v) }
    mutating func gauge(_ name: String, _ help: String, _ v: Double) { header(name, "gauge", help); sample(name, [:], v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

extension Dollars {
    /// For metrics only: Prometheus samples are floats. Never used for money arithmetic.
    var double: Double { Double(micros) / 1e6 }
}
