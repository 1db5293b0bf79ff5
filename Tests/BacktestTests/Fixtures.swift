import AutoEntry
import Backtest
import BusKit
import Foundation
import Model
import Money
import ProbabilityModel
import TradeSupervisor

/// A small synthetic market day: one event closing at `close`, three strikes 500 apart, BTC flat at 100,000 then
/// falling to 98,000 fifteen minutes before the close (auto-stop and ripcord), every market settling NO.
enum Scenario {
    static let close: Int64 = 1_750_003_200
    static let from = close - 40 * 60
    static let to = close

    static func btc(_ ts: Int64) -> Double {
        let wiggle = sin(Double(ts) / 600) * 40
        return (ts < close - 15 * 60 ? 100_000 : 98_000) + wiggle
    }

    static var prices: MinuteSeries {
        MinuteSeries(bars: stride(from: from - 2 * 86_400, to: close + 3_600, by: 60).map { ($0, btc($0)) })
    }

    /// Rows every minute of the window: YES bid/ask per strike, dropping with BTC.
    static var tape: MarketTape {
        func rows(_ before: (Int16, Int16), _ after: (Int16, Int16)) -> [MarketTape.Row] {
            stride(from: from + 60, through: close, by: 60).map { t in
                let q = t < close - 15 * 60 ? before : after
                return MarketTape.Row(end: t, bid: q.0, ask: q.1, volume: t == from + 60 ? 2_000 : 7)
            }
        }
        let event = "KXBTCD-25JUN1512"
        return MarketTape(markets: [
            ("\(event)-T98999.99", Dollars(cents: 9_899_999), "no", close, rows((88, 90), (30, 33))),
            ("\(event)-T99499.99", Dollars(cents: 9_949_999), "no", close, rows((80, 83), (10, 12))),
            ("\(event)-T100499.99", Dollars(cents: 10_049_999), "no", close, rows((10, 12), (1, 3))),
        ])
    }

    static let sections = """
        [plugin.model]
        model = vol
        [plugin.auto-entry]
        auto_entry = true
        min_probability = 50
        [plugin.trade-supervisor]
        auto_stop = true
        """

    static func configuration() throws -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "scenario.conf", text: sections),
                             pluginKeys: [ModelPlugin.name: ModelPlugin.configKeys, AutoEntry.name: AutoEntry.configKeys,
                                          TradeSupervisor.name: TradeSupervisor.configKeys])
    }

    /// `$RECIO_SHARED_DATA`, else `../shared/data` beside the repository.
    static var dataFolder: String {
        if let env = ProcessInfo.processInfo.environment["RECIO_SHARED_DATA"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data").path
    }
    static var hasSharedData: Bool { FileManager.default.fileExists(atPath: dataFolder + "/kalshi_kxbtcd_1m_candles_2025-04-11_2025-05-16.csv.gz") }
}
