import BusWire
import Money
import Testing
@testable import TradeSupervisor
import TradingWire

@Suite("trade supervisor: auto-stop, ripcord, one close per trade")
struct SupervisorCloseTests {
    /// Feeds a table with P(YES) = `pYes` at `t` seconds.
    static func feed(_ s: inout Supervisor, pYes: Double, at t: Double, noAsk: String = "0.70") -> [OrderIntent] {
        s.strikeTable(TS.table([TS.row(pYes: pYes, yesAsk: "0.30", noAsk: noAsk)]), now: TS.at(t))
    }

    @Test("auto-stop: below the threshold continuously for confirmation_seconds, then one close of the whole trade")
    func autoStop() throws {
        var s = TS.supervisor()
        #expect(s.openTrades(TS.open([TS.trade(count: 10)]), now: TS.t0).isEmpty)
        #expect(Self.feed(&s, pYes: 0.24, at: 0).isEmpty)
        #expect(Self.feed(&s, pYes: 0.20, at: 5).isEmpty)
        #expect(Self.feed(&s, pYes: 0.24, at: 9.9).isEmpty)
        let close = try #require(Self.feed(&s, pYes: 0.24, at: 10).first)
        #expect(close.purpose == .close && close.tradeID == "ae-t1" && close.side == .no && close.count == Contracts(whole: 10))
        #expect(close.limitPrice == Dollars("0.72") && close.timeInForce == .immediateOrCancel && close.method == "auto-stop")
        #expect(close.source == "trade-supervisor" && close.ticker == TS.ticker && close.eventTicker == TS.event)
        #expect(close.expiresTs == TS.unix0 + 20 && close.key.count <= 64 && close.key.hasPrefix("sv-stop-"))
        #expect(s.snapshot(now: TS.at(10)).trades.first?.closeKey == close.key)
    }

    @Test("a probability back at or above the threshold restarts the confirmation")
    func recovery() {
        var s = TS.supervisor()
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        _ = Self.feed(&s, pYes: 0.10, at: 0)
        _ = Self.feed(&s, pYes: 0.25, at: 6)
        #expect(Self.feed(&s, pYes: 0.10, at: 7).isEmpty)
        #expect(Self.feed(&s, pYes: 0.10, at: 16).isEmpty)
        #expect(Self.feed(&s, pYes: 0.10, at: 17).count == 1)
    }

    @Test("no auto-stop before min_seconds_since_entry (the original's min_ttc_seconds)")
    func minTimeSinceEntry() {
        var s = TS.supervisor()
        _ = s.openTrades(TS.open([TS.trade(enteredAgo: 30)]), now: TS.t0)
        _ = Self.feed(&s, pYes: 0.1, at: 0)
        #expect(Self.feed(&s, pYes: 0.1, at: 29).isEmpty)  // below for 29 s, but 59 s since entry
        #expect(Self.feed(&s, pYes: 0.1, at: 30).count == 1)
    }

    @Test("auto_stop off, stale tables, missing asks: no close")
    func noClose() {
        var off = TS.supervisor { $0.autoStop = false }
        _ = off.openTrades(TS.open([TS.trade()]), now: TS.t0)
        _ = Self.feed(&off, pYes: 0.1, at: 0)
        #expect(Self.feed(&off, pYes: 0.1, at: 20).isEmpty)
        var stale = TS.supervisor()
        _ = stale.openTrades(TS.open([TS.trade()]), now: TS.t0)
        _ = Self.feed(&stale, pYes: 0.1, at: 0)
        _ = stale.momentum(1, now: TS.at(5))
        #expect(stale.tick(now: TS.at(20)).isEmpty)  // the last table is 20 s old
        var noAsk = TS.supervisor()
        _ = noAsk.openTrades(TS.open([TS.trade()]), now: TS.t0)
        _ = noAsk.strikeTable(TS.table([TS.row(pYes: 0.1, noAsk: nil)]), now: TS.t0)
        #expect(noAsk.strikeTable(TS.table([TS.row(pYes: 0.1, noAsk: nil)]), now: TS.at(11)).isEmpty)
    }

    @Test("only open trades are closed: never pending, closing or expired ones")
    func statuses() {
        for status in [TradeStatus.pending, .closing, .expired] {
            var s = TS.supervisor { $0.confirmationSeconds = 0 }
            _ = s.openTrades(TS.open([TS.trade(status: status)]), now: TS.t0)
            #expect(Self.feed(&s, pYes: 0.01, at: 1).isEmpty)
            #expect(s.momentum(-90, now: TS.at(1)).isEmpty)
        }
    }

    @Test("ripcord: momentum ≥ +35 closes every NO trade, ≤ −35 every YES trade, with the ripcord method")
    func ripcord() throws {
        var s = TS.supervisor()
        _ = s.openTrades(TS.open([TS.trade("y", side: .yes), TS.trade("n", side: .no)]), now: TS.t0)
        _ = Self.feed(&s, pYes: 0.6, at: 0)
        #expect(s.momentum(34, now: TS.t0).isEmpty && s.momentum(-34, now: TS.t0).isEmpty)
        let up = s.momentum(35, now: TS.at(1))
        #expect(up.map(\.tradeID) == ["n"] && up.first?.side == .yes && up.first?.method == "ripcord" && up.first?.limitPrice == Dollars("0.32"))
        let down = s.momentum(-35, now: TS.at(2))
        #expect(down.map(\.tradeID) == ["y"] && down.first?.side == .no && down.first?.key.hasPrefix("sv-rip-") == true)
        var off = TS.supervisor { $0.ripcordEnabled = false }
        _ = off.openTrades(TS.open([TS.trade("n", side: .no)]), now: TS.t0)
        _ = Self.feed(&off, pYes: 0.4, at: 0)
        #expect(off.momentum(80, now: TS.t0).isEmpty)
    }

    @Test("no double close: later updates add nothing, ticks repeat the same key until answered")
    func once() throws {
        var s = TS.supervisor { $0.confirmationSeconds = 0 }
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        let close = try #require(Self.feed(&s, pYes: 0.1, at: 0).first)
        #expect(Self.feed(&s, pYes: 0.1, at: 0.5).isEmpty)
        #expect(s.momentum(-80, now: TS.at(0.6)).isEmpty)
        #expect(s.tick(now: TS.at(1)) == [close])
        #expect(s.tick(now: TS.at(1.5)).isEmpty)
        #expect(s.tick(now: TS.at(2)) == [close])
        s.answer(TS.answer(close, .accepted), now: TS.at(2.1))
        #expect(s.tick(now: TS.at(3)).isEmpty && Self.feed(&s, pYes: 0.1, at: 30).isEmpty)
        s.answer(TS.answer(close, .filled, filled: 10), now: TS.at(31))
        #expect(s.tick(now: TS.at(60)).isEmpty)
        // The trade moves to closing, then leaves: forgotten.
        _ = s.openTrades(TS.open([TS.trade(status: .closing)]), now: TS.at(61))
        _ = s.openTrades(TS.open([]), now: TS.at(62))
        #expect(s.snapshot(now: TS.at(62)).trades.isEmpty && s.attempts.isEmpty)
    }

    @Test("a cancelled or rejected close allows a new attempt, with a new key, after retry_delay")
    func retry() throws {
        var s = TS.supervisor { $0.confirmationSeconds = 0; $0.retryDelay = 5; $0.maxDataAge = 60 }
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        let first = try #require(Self.feed(&s, pYes: 0.1, at: 0).first)
        s.answer(TS.answer(first, .cancelled), now: TS.at(1))
        #expect(s.tick(now: TS.at(2)).isEmpty && Self.feed(&s, pYes: 0.1, at: 5.9).isEmpty)
        let second = try #require(Self.feed(&s, pYes: 0.1, at: 6).first)
        #expect(second.key != first.key && second.key.contains("-2-"))
        s.answer(TS.answer(second, .rejected), now: TS.at(7))
        let third = try #require(s.tick(now: TS.at(12)).first)
        #expect(third.key.contains("-3-") && third.method == "auto-stop")
        // An unknown outcome (error) keeps repeating the same key: never a second order.
        s.answer(TS.answer(third, .error), now: TS.at(12.5))
        #expect(s.tick(now: TS.at(13)) == [third])
    }

    @Test("a retry after a partial fill closes what the answer says is still held, not the stale snapshot's count")
    func partialRetry() throws {
        var s = TS.supervisor { $0.confirmationSeconds = 0; $0.retryDelay = 5; $0.maxDataAge = 60 }
        _ = s.openTrades(TS.open([TS.trade(count: 10)]), now: TS.t0)
        let first = try #require(Self.feed(&s, pYes: 0.1, at: 0).first)
        #expect(first.count == Contracts(whole: 10))
        // The executor capped the close at 8 (what it knew was held) and 3 filled: 5 are left.
        var answer = TS.answer(first, .partiallyFilled, filled: 3)
        answer.requestedCount = Contracts(whole: 8)
        s.answer(answer, now: TS.at(1))
        // The snapshot still says 10: the retry asks for 5.
        _ = s.openTrades(TS.open([TS.trade(count: 10)]), now: TS.at(2))
        let second = try #require(Self.feed(&s, pYes: 0.1, at: 6).first)
        #expect(second.count == Contracts(whole: 5) && second.key != first.key)
    }

    @Test("the close limit is the opposite ask plus max_slippage, capped at 99¢")
    func cap() throws {
        var s = TS.supervisor { $0.confirmationSeconds = 0; $0.maxSlippage = Dollars(cents: 5) }
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        #expect(try #require(Self.feed(&s, pYes: 0.01, at: 0, noAsk: "0.97").first).limitPrice == Dollars("0.99"))
    }

    @Test("a trade that went to closing and came back to open may be closed again after retry_delay")
    func backToOpen() throws {
        var s = TS.supervisor { $0.confirmationSeconds = 0; $0.retryDelay = 5; $0.maxDataAge = 60 }
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        let first = try #require(Self.feed(&s, pYes: 0.1, at: 0).first)
        s.answer(TS.answer(first, .accepted), now: TS.at(1))
        #expect(s.openTrades(TS.open([TS.trade(status: .closing)]), now: TS.at(2)).isEmpty)
        #expect(s.openTrades(TS.open([TS.trade(status: .open)]), now: TS.at(3)).isEmpty)
        #expect(s.tick(now: TS.at(7.9)).isEmpty)
        let second = try #require(s.tick(now: TS.at(8)).first)
        #expect(second.key != first.key && second.tradeID == first.tradeID)
    }
}
