import Kalshi
import Money
import Testing

/// The kill switch's venue half against `recio sim`: cancel-all or rec.io's orders only, reduce-only closes, the report.
@Suite("Flatten: cancel-all, rec.io's orders only, reduce-only closes against the simulator")
struct VenueFlattenTests {
    /// Three markets of the event: resting bids on each (two rec.io's, one placed by hand), YES held on one, NO on another.
    static func setUp(_ rest: KalshiRESTClient) async throws -> [String] {
        // The three strikes nearest the money: a one-cent bid rests there (far out of the money a maker's ask meets it).
        func distance(_ t: String) -> Dollars {
            let d = (Dollars(String(t.split(separator: "-").last?.dropFirst() ?? "")) ?? .zero) - Dollars(cents: 10_000_000)
            return max(d, -d)
        }
        let tickers = try await rest.markets(eventTicker: eventTicker).map(\.ticker)
        let three = Array(tickers.sorted { distance($0) < distance($1) }.prefix(3))
        for (i, ticker) in three.enumerated() {
            let id = i == 2 ? "manual-\(i)" : "ae-rest-\(i)"
            _ = try await rest.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 1),
                                                              clientOrderId: id))
        }
        let yes = try await rest.createOrder(CreateOrderRequest(ticker: three[0], side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 99),
                                                                timeInForce: .immediateOrCancel))
        let no = try await rest.createOrder(CreateOrderRequest(ticker: three[1], side: .ask, count: Contracts(whole: 2), price: Dollars(cents: 1),
                                                               timeInForce: .immediateOrCancel))
        #expect(yes.fillCount == Contracts(whole: 3) && no.fillCount == Contracts(whole: 2))
        return three
    }

    @Test("--only-recio cancels rec.io's resting orders by ticker, keeps the manual one, and closes both positions")
    func onlyRecio() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let three = try await Self.setUp(rest)
            let report = try await Flattener(rest: rest).run(Flattener.Options(onlyRecio: true, nowMs: venue.clock.now))
            #expect(Set(report.cancelled.map(\.clientOrderID)) == ["ae-rest-0", "ae-rest-1"])
            #expect(report.cancelled.allSatisfy { $0.kind == "cancelled" && $0.count == Contracts(whole: 2) })
            #expect(report.closes.map(\.kind) == ["closed", "closed"])
            #expect(Set(report.closes.map(\.ticker)) == Set(three.prefix(2)))
            #expect(report.positionsLeft.isEmpty)
            #expect(report.restingLeft.map(\.clientOrderID) == ["manual-2"] && report.restingLeft.first?.recio == false)
            #expect(report.flat)
        }
    }

    @Test("cancel-all takes every resting order, the manual one included; a second run finds nothing to do")
    func cancelAll() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            _ = try await Self.setUp(rest)
            let flattener = Flattener(rest: rest)
            let report = try await flattener.run(Flattener.Options(nowMs: venue.clock.now))
            #expect(report.cancelled.count == 3)
            #expect(report.restingLeft.isEmpty && report.positionsLeft.isEmpty && report.flat)
            #expect(try await rest.orders(status: .resting).isEmpty)
            let again = try await flattener.run(Flattener.Options(nowMs: venue.clock.now + 1))
            #expect(again.cancelled.isEmpty && again.closes.isEmpty && again.flat)
        }
    }
}
