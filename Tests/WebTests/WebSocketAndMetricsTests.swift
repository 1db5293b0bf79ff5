import BusKit
import BusTestSupport
import BusWire
import Foundation
import HummingbirdWSClient
import Logging
import Money
import Synchronization
import Testing
import TradingWire
@testable import Web

/// The push channel and the metrics endpoint.
@Suite("Web push and metrics", .serialized)
struct WebSocketAndMetricsTests {
    @Test("the WebSocket pushes a new strike table without a request")
    func webSocketPushesStrikeTables() async throws {
        try await WebHarness.with { h in
            try h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000))
            #expect(await eventually { (try? await h.request("GET", "/api/strikes"))?.body.contains("104000.0000") == true })
            let frames = Mutex<[String]>([])
            let feeding = Task {
                // Wait until the snapshot (with the old table) arrived, then publish the new one.
                _ = await eventually { frames.withLock { $0.contains { $0.contains("\"k\":\"hello\"") } } }
                try? h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 105_000))
            }
            defer { feeding.cancel() }
            var logger = Logger(label: "ws-test")
            logger.logLevel = .warning
            _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(h.port)/ws", logger: logger) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message else { continue }
                    frames.withLock { $0.append(text) }
                    if text.contains("\"k\":\"s\"") && text.contains("model.strikes.") && text.contains("105000.0000") { return }
                }
            }
            let all = frames.withLock { $0 }
            #expect(all.first?.contains("\"k\":\"hello\"") == true)
            #expect(all.contains { $0.contains("105000.0000") })
        }
    }

    @Test("/metrics is Prometheus text with bus, order, PnL and plugin health series")
    func metricsParse() async throws {
        try await WebHarness.with { h in
            try h.publish(.heartbeat(plugin: "executor"), Heartbeat(plugin: "executor", host: "test", pid: 7, state: .running, uptime: 3, rss: 4096,
                                                                  dataAges: ["book": 0.5]))
            let bucket = TradeStatistics.Bucket(key: "all", trades: 2, wins: 1, losses: 1, draws: 0, winRate: "0.5000",
                                                pnl: Dollars(cents: -25), fees: Dollars(cents: 4))
            try h.publish(.tradeStats, TradeStatistics(overall: bucket, byDay: [], byHour: [], byStrategy: [], time: "t"))
            var text = ""
            #expect(await eventually {
                text = (try? await h.request("GET", "/metrics"))?.body ?? ""
                return text.contains("recio_plugin_up{") && text.contains("recio_pnl_dollars") && text.contains("recio_broker_messages_in_total")
            })
            var samples: [String: Double] = [:]
            for line in text.split(separator: "\n") {
                if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") { continue }
                let parts = line.split(separator: " ")
                #expect(parts.count == 2, "bad line: \(line)")
                let name = String(parts[0])
                #expect(name.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})?$"#, options: .regularExpression) != nil,
                        "bad series: \(name)")
                let value = try #require(Double(parts[1]), "bad value: \(line)")
                samples[name] = value
            }
            #expect(samples["recio_pnl_dollars"] == -0.25)
            #expect(samples["recio_plugin_up{host=\"test\",plugin=\"executor\",state=\"running\"}"] == 1)
            #expect(samples["recio_plugin_data_age_seconds{input=\"book\",plugin=\"executor\"}"] == 0.5)
            #expect((samples["recio_web_bus_received_total"] ?? 0) > 0)
        }
    }
}
