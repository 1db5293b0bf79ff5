import BusTestSupport
import Foundation
import Money
import PriceSim
import Testing

/// The shared data folder, `../shared/data` from the repository root; nil (tests skip) when it is absent.
let dataFolder: String? = {
    let repo = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
    let folder = repo + "/../shared/data"
    return FileManager.default.fileExists(atPath: folder + "/btc_usd_1m_bitstamp_2025-01-07_2025-02-03.csv.gz") ? folder : nil
}()

@Suite("Candle replay expanded to seconds")
struct CandleReplayTests {
    func bar(_ start: Int64, _ o: String, _ h: String, _ l: String, _ c: String) -> Candle {
        Candle(start: start, open: Dollars(o)!, high: Dollars(h)!, low: Dollars(l)!, close: Dollars(c)!)
    }

    /// Each bar's 60 seconds touch open (first second), close (last second), high and low, and never leave them.
    func checkPassesThrough(_ replay: CandleReplay, _ candle: Candle) throws {
        let shift = replay.timeShift
        let values = try (0..<60).map { try #require(replay.value(atSecond: candle.start + shift + Int64($0))) }
        #expect(values.first == candle.open)
        #expect(values.last == candle.close)
        #expect(values.contains(candle.high))
        #expect(values.contains(candle.low))
        #expect(values.allSatisfy { $0 >= candle.low && $0 <= candle.high })
    }

    @Test("a bar's seconds pass through open, high, low and close; gaps hold the close; the ends are nil")
    func synthetic() throws {
        let candles = [bar(600, "100", "101.5", "99.25", "101"), bar(660, "101", "101.2", "98", "98.5"), bar(780, "98.5", "99", "98.5", "99")]
        let replay = try CandleReplay(candles: candles)
        for c in candles { try checkPassesThrough(replay, c) }
        #expect(replay.value(atSecond: 720) == Dollars("98.5"))   // the missing 12:00 bar holds the close
        #expect(replay.value(atSecond: 599) == nil)
        #expect(replay.value(atSecond: 840) == nil)
        // Deterministic, and shiftable to simulated time.
        let shifted = try CandleReplay(candles: candles, startingAt: 1_750_000_000)
        #expect((0..<240).map { shifted.value(atSecond: 1_750_000_000 + $0) } == (0..<240).map { replay.value(atSecond: 600 + $0) })
        #expect(shifted.firstSecond == 1_750_000_000 && shifted.endSecond == 1_750_000_240)
    }

    @Test("unsorted candles are refused")
    func unsorted() {
        #expect(throws: PriceSimError.self) { try CandleReplay(candles: [bar(660, "1", "1", "1", "1"), bar(600, "1", "1", "1", "1")]) }
    }

    @Test("the real 1-minute files replay through every bar's OHLC", arguments: [
        "btc_usd_1m_bitstamp_2025-01-07_2025-02-03.csv.gz",
        "btc_usd_1m_binanceus_2023-03-01_2023-03-21.csv.gz",
    ])
    func realData(file: String) async throws {
        guard let folder = dataFolder else {
            print("skipping: ../shared/data is absent")
            return
        }
        // A second of decompression and parsing: on a thread of its own, never on the 2-thread cooperative pool.
        let candles = try await offPool { try CandleCSV.read(path: folder + "/" + file) }
        #expect(candles.count > 30_000)
        let replay = try CandleReplay(candles: candles, startingAt: 1_800_000_000)
        for c in candles.prefix(3_000) { try checkPassesThrough(replay, c) }
    }
}

@Suite("Settlement input")
struct SettlementTests {
    @Test("the 60 one-second values before the close, averaged exactly")
    func average() throws {
        // One bar of 60 seconds: the replay's own values are the reference.
        let bar = Candle(start: 0, open: Dollars("100")!, high: Dollars("100.37")!, low: Dollars("99.11")!, close: Dollars("100.01")!)
        let replay = try CandleReplay(candles: [bar, Candle(start: 60, open: Dollars("1")!, high: Dollars("1")!, low: Dollars("1")!, close: Dollars("1")!)])
        let values = (0..<60).map { replay.value(atSecond: Int64($0))!.micros }
        let sum = values.reduce(0, +)
        let expected = Dollars(micros: sum / 60 + (sum % 60 * 2 >= 60 ? 1 : 0))
        #expect(replay.settlementValue(closingAt: 60) == expected)
        #expect(replay.settlementValue(closingAt: 59) == nil, "the second before the data is missing")
    }
}
