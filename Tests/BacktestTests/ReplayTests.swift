import Backtest
import BusTools
import BusWire
import Foundation
import MarketWire
import Money
import Testing
import TradingWire

/// `recio replay` on a small synthetic tape: the scenario's feed messages as a recorder would have stored them.
@Suite struct ReplayTests {
    static func envelope<M: BusMessage>(_ topic: String, _ m: M, at t: Int64, seq: UInt64) throws -> Tape.Entry {
        let data = Array(try JSONEncoder().encode(m))
        return Tape.Entry(received: BusTime(seconds: t), envelope: Envelope(topic: topic, type: M.typeName, src: "rec@live", seq: seq, ts: BusTime(seconds: t), data: data))
    }

    static func tape() throws -> [Tape.Entry] {
        var feed = FeedReplay(tape: Scenario.tape, prices: Scenario.prices, from: Scenario.from, to: Scenario.to)
        var out: [Tape.Entry] = []
        var seq: UInt64 = 0
        for t in stride(from: Scenario.from - 10 * 60, through: Scenario.to, by: 60) {
            for input in feed.inputs(at: t) {
                seq += 1
                switch input {
                case .series(let s): out.append(try envelope("market.series.\(s.series)", s, at: t, seq: seq))
                case .event(let e): out.append(try envelope("market.event.\(e.eventTicker)", e, at: t, seq: seq))
                case .book(var b):
                    b.yesAskSize = b.yesAsk == nil ? nil : Contracts(whole: 100)
                    b.noAskSize = b.noAsk == nil ? nil : Contracts(whole: 100)
                    out.append(try envelope("market.book.\(b.marketTicker)", b, at: t, seq: seq))
                case .lifecycle(let l): out.append(try envelope("market.lifecycle.\(l.marketTicker)", l, at: t, seq: seq))
                case .momentum(let m): out.append(try envelope("price.btc.momentum", m, at: t, seq: seq))
                case .tick(let k): out.append(try envelope("price.btc.tick", k, at: t, seq: seq))
                }
            }
        }
        return out
    }

    @Test func aTapeReplaysThroughTheLivePlugins() async throws {
        let entries = try Self.tape()
        // Through the tape file format and back, as `recio replay` reads it.
        let bytes = Tape.header(created: BusTime(seconds: Scenario.from), filters: []) + entries.flatMap(Tape.line)
        let (parsed, skipped) = Tape.parse(bytes)
        #expect(skipped == 0 && parsed.count == entries.count)
        let trades = try await TapeReplay.run(entries: parsed, sections: Scenario.sections)
        #expect(!trades.isEmpty)
        #expect(trades.allSatisfy { $0.status.isFinal })
        for t in trades where t.status != .rejected {
            #expect(t.entryFees == TakerFee.of(count: t.count, price: t.entryPrice ?? .zero))
        }
    }
}
