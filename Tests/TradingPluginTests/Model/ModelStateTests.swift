import BusKit
import BusWire
import Foundation
import MarketWire
import Model
import Money
import ProbabilityModel
import Testing
import TradingWire

@Suite("model state machine and settings")
struct ModelStateTests {
    typealias F = ModelFixtures
    static let t0 = BusTime(seconds: 1_750_000_000)
    func at(_ s: Double) -> BusTime { Self.t0.adding(seconds: s) }

    /// A state following one event that closes 30 minutes after t0.
    func followed(strikes: Int = 3) -> ModelState {
        var s = ModelState(model: VolatilityModel(), strikes: strikes)
        _ = s.handle(.event(F.event(close: 1_750_001_800)), now: at(0))
        _ = s.handle(.series(MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1522"])), now: at(0))
        return s
    }

    @Test("a tick publishes each followed open event's table and watchlist")
    func tick() throws {
        var s = followed()
        _ = s.handle(.book(F.book("KXBTCD-25MAY1522-T99999.99")), now: at(0))
        _ = s.handle(.momentum(F.momentum(6)), now: at(0.5))
        let out = s.handle(.tick(F.tick("100010")), now: at(1))
        let o = try #require(out.first)
        #expect(out.count == 1 && o.table.model == "vol" && o.table.momentum == 6 && o.table.ttcSeconds == 1_799)
        #expect(o.table.rows.map(\.strike) == [F.d("99749.99"), F.d("99999.99"), F.d("100249.99")])
        let atm = o.table.rows[1]
        #expect(atm.yesAsk == F.d("0.55") && atm.activeSide == .yes && atm.probabilityYes > 0.5 && atm.probabilityYes < 0.6)
        #expect(atm.edgeYes == atm.fairYes - F.d("0.55"))
        #expect(o.watchlist.rows.map(\.ticker) == ["KXBTCD-25MAY1522-T99999.99"])
    }

    @Test("books alone publish at most every book_interval; flush sends what waited")
    func throttle() {
        var s = followed()
        #expect(s.handle(.tick(F.tick("100000")), now: at(1)).count == 1)
        #expect(s.handle(.book(F.book("KXBTCD-25MAY1522-T99999.99", yesAsk: "0.60")), now: at(1.1)).isEmpty)
        #expect(s.flush(now: at(1.15)).isEmpty)
        let later = s.flush(now: at(1.3))
        #expect(later.count == 1 && later.first?.table.rows[1].yesAsk == F.d("0.60"))
        #expect(s.flush(now: at(5)).isEmpty)  // nothing changed since
        #expect(s.handle(.book(F.book("KXBTCD-25MAY1522-T99999.99", yesAsk: "0.61")), now: at(6)).count == 1)
    }

    @Test("only events of the latest index with a close in the future; other series ignored")
    func following() {
        var s = followed()
        _ = s.handle(.event(F.event("KXBTCD-25MAY1523", close: 1_750_005_400)), now: at(0))
        #expect(s.handle(.tick(F.tick("100000")), now: at(1)).map(\.table.eventTicker) == ["KXBTCD-25MAY1522"])
        _ = s.handle(.series(MarketSeriesIndex(series: "KXETHD", events: [])), now: at(2))
        _ = s.handle(.series(MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1522", "KXBTCD-25MAY1523"])), now: at(3))
        #expect(s.handle(.tick(F.tick("100000")), now: at(4)).count == 2)
        #expect(s.handle(.tick(F.tick("100000")), now: at(1_800)).map(\.table.eventTicker) == ["KXBTCD-25MAY1523"])  // the first closed
        _ = s.handle(.series(MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1523"])), now: at(1_801))
        #expect(s.followed == ["KXBTCD-25MAY1523"])
    }

    @Test("in the last minute the prices already averaged count")
    func lastMinute() throws {
        var s = followed()
        for k in 0..<30 { _ = s.handle(.tick(F.tick("100300")), now: at(1_740 + Double(k))) }
        let o = try #require(s.handle(.tick(F.tick("99990")), now: at(1_770)).first)
        // 30 s of 100,300 already in the average: the 99,999.99 strike is nearly won though the price is below it.
        #expect(o.table.rows[1].probabilityYes > 0.9)
    }

    @Test("settings: defaults, bad values and a missing fingerprint file name their keys")
    func settings() throws {
        let s = try ModelSettings(configuration: F.configuration(""), home: "/nonexistent")
        #expect(s.modelName == "vol" && s.strikes == 21 && s.tables == "/nonexistent/model/fingerprints.json" && s.series == "KXBTCD")
        #expect(s.filter == WatchlistFilter() && s.bookInterval == 0.2)
        let c = try ModelSettings(configuration: F.configuration("min_probability = 50\nmin_edge = 0.02\nwatchlist_max_ask = 0.95\nwatchlist_min_volume = 10\n"))
        #expect(c.filter.minProbability == 0.5 && c.filter.minEdge == F.d("0.02") && c.filter.maxAsk == F.d("0.95") && c.filter.minVolume == Contracts(whole: 10))
        let missing = try #require(try settingsError("model = fingerprint\ntables = /nope/fp.json\n"))
        #expect(missing.configuration.count == 1 && missing.configuration[0].key == "plugin.model.tables" && missing.configuration[0].line == 3)
        #expect(missing.description.contains("/nope/fp.json"))
        let bad = try #require(try settingsError("model = magic\nstrikes = 0\nmin_probability = 120\n"))
        #expect(Set(bad.configuration.compactMap(\.key)) == ["plugin.model.model", "plugin.model.strikes", "plugin.model.min_probability"])
    }

    @Test("model = fingerprint loads the tables named by `tables` and the tables say so")
    func fingerprintMode() throws {
        let path = NSTemporaryDirectory() + "fp-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bars: [(Int64, Double)] = (0..<200).map { i in
            let ts: Int64 = Int64(i) * 60
            let close: Double = 100_000 + Double(i % 7) * 10
            return (ts, close)
        }
        try FingerprintFitter(minimumWeight: 0).fit(MinuteSeries(bars: bars), source: "test").write(to: path)
        let settings = try ModelSettings(configuration: F.configuration("model = fingerprint\ntables = \(path)\n"))
        var s = ModelState(settings: settings)
        _ = s.handle(.event(F.event(close: 1_750_001_800)), now: at(0))
        _ = s.handle(.series(MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1522"])), now: at(0))
        let out = s.handle(.tick(F.tick("100000")), now: at(1))
        #expect(out.first?.table.model == "fingerprint" && out.first?.table.rows.count == 7)
    }

    /// The error reading `section` gives, nil when it reads.
    func settingsError(_ section: String) throws -> ModelPluginError? {
        let configuration = try F.configuration(section)
        do { _ = try ModelSettings(configuration: configuration) } catch { return error }
        return nil
    }
}
