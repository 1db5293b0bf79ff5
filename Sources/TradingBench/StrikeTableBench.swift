import BusTools
import Foundation
import Money
import ProbabilityModel
import TradingWire

/// `recio bench strikes`: strike tables of 21 strikes per second on one core, for each model, against the same
/// builder with a constant probability (what the table costs without a model) measured in the same run.
public struct StrikeTableBench: Benchmark {
    public let name = "strikes"
    /// Tables per measured run.
    public var tables = 100_000
    /// Fingerprint tables; the fingerprint figure is skipped when the file is absent.
    public var fingerprints: String?

    public init(fingerprints: String? = nil) { self.fingerprints = fingerprints }

    public func run(_ context: BenchContext) async throws -> [BenchFigure] {
        let event = Self.event()
        let quotes = Dictionary(uniqueKeysWithValues: event.markets.map {
            ($0.ticker, StrikeQuote(yesBid: Dollars(cents: 40), yesAsk: Dollars(cents: 42), noBid: Dollars(cents: 58), noAsk: Dollars(cents: 60),
                                    volume: Contracts(whole: 5_000)))
        })
        var models: [any ProbabilityModel] = [VolatilityModel()]
        if let fingerprints, FileManager.default.fileExists(atPath: fingerprints) {
            models.append(FingerprintModel(tables: try FingerprintTables.read(from: fingerprints)))
        } else {
            context.log("strikes: no fingerprint tables (recio model fit); the fingerprint figure is skipped")
        }
        let runs = max(1, context.runs)
        let baseline = (0..<runs).map { _ in Self.rate(ConstantModel(), event, quotes, tables) }
        let base = median(baseline)
        return models.map { model in
            let rates = (0..<runs).map { _ in Self.rate(model, event, quotes, tables) }
            return BenchFigure(name: "strike tables/s (\(model.name))", runs: rates, unit: "tables/s", baseline: base,
                               baselineName: "no model", target: .atLeast(100_000), note: "21 strikes each, one core")
        }
    }

    /// Tables per second building `count` tables at moving prices and times.
    static func rate(_ model: some ProbabilityModel, _ event: StrikeEvent, _ quotes: [String: StrikeQuote], _ count: Int) -> Double {
        let builder = StrikeTableBuilder()
        let start = ContinuousClock.now
        var rows = 0
        for i in 0..<count {
            let price = Dollars(micros: (107_000 + Int64(i % 500)) * 1_000_000)
            rows &+= builder.build(event: event, quotes: quotes, price: price, momentum: 3, now: Double(i % 3_000), sigma: 9e-5,
                                   model: model, time: "").rows.count
        }
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        precondition(rows > 0)
        return Double(count) / max(seconds, 1e-9)
    }

    /// A 60-market event around $107,000, $250 apart.
    static func event() -> StrikeEvent {
        let markets = (0..<60).map { i in
            StrikeMarket(ticker: "KXBTCD-X-T\(100_000 + i * 250 - 1).99", strike: Dollars(micros: Int64(100_000 + i * 250) * 1_000_000 - 10_000))
        }
        return StrikeEvent(series: "KXBTCD", eventTicker: "KXBTCD-X", closeTs: 3_600, strikeSpacing: Dollars(cents: 25_000), markets: markets)
    }
}

/// A model that answers one half: the table's own cost, for the baseline.
struct ConstantModel: ProbabilityModel {
    let name = "constant"
    func probabilityAbove(strike: Double, input: ModelInput) -> Double { 0.5 }
}
