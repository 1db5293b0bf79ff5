import Backtest
import Money
import Testing
import TradingWire

/// The engine drives the plugins' pure machines; the same short window through the real plugins over the in-memory
/// bus must give the very same trades.
@Suite struct PluginEquivalenceTests {
    struct Key: Equatable, CustomStringConvertible {
        var id: String, status: TradeStatus, ticker: String, side: TradeSide, count: Contracts
        var entry: Dollars?, close: Dollars?, fees: Dollars, pnl: Dollars?, method: String?
        init(_ t: TradeRecord) {
            id = t.id; status = t.status; ticker = t.ticker; side = t.side; count = t.count; entry = t.entryPrice; close = t.closePrice
            fees = t.entryFees + t.closeFees; pnl = t.pnl; method = t.closeMethod
        }
        var description: String { "\(id) \(status.rawValue) \(side.rawValue) ×\(count) \(entry?.description ?? "-")→\(close?.description ?? "-") pnl \(pnl?.description ?? "-") \(method ?? "")" }
    }

    @Test func theEngineTradesExactlyAsThePlugins() async throws {
        let strategy = try Strategy.from(configuration: Scenario.configuration())
        let engine = BacktestRun.run(tape: Scenario.tape, prices: Scenario.prices, strategy: strategy, from: Scenario.from, to: Scenario.to, warmUpMinutes: 5)
        let plugins = try await PluginBacktest.run(tape: Scenario.tape, prices: Scenario.prices, sections: Scenario.sections,
                                                   from: Scenario.from, to: Scenario.to, warmUpMinutes: 5)
        let a = engine.trades.map(Key.init), b = plugins.map(Key.init)
        #expect(!a.isEmpty)
        #expect(a == b, "engine:\n\(a.map(\.description).joined(separator: "\n"))\nplugins:\n\(b.map(\.description).joined(separator: "\n"))")
    }
}
