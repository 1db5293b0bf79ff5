import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

/// What the account paid for its fills: price times count on the side bought, plus fees.
func cost(of fills: [Fill]) -> Dollars {
    fills.reduce(.zero) { total, f in
        let price = (f.outcomeSide == .no ? f.noPriceDollars : f.yesPriceDollars) ?? .zero
        return total + price * (f.countFp ?? .zero) + (f.feeCost ?? .zero)
    }
}

@Suite("V2 orders against the simulator's matching engine")
struct OrderTests {
    @Test("an IOC buy fills against the makers; fills, position and balance agree to the micro-dollar")
    func iocFill() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let before = try await rest.balance().available
            let ask = try #require(try await rest.orderbook(atm).bestYesAsk)
            let request = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 10), price: Dollars(cents: 99),
                                             timeInForce: .immediateOrCancel, clientOrderId: "ioc-1")
            let created = try await rest.createOrder(request)
            #expect(created.clientOrderId == "ioc-1")
            #expect(created.fillCount == Contracts(whole: 10))
            #expect(created.remainingCount == .zero)
            #expect(created.averageFillPrice == ask.price)

            let fills = try await rest.fills(ticker: atm)
            #expect(fills.count >= 1 && fills.allSatisfy { $0.orderId == created.orderId && $0.isTaker == true })
            #expect(fills.reduce(Contracts.zero) { $0 + ($1.countFp ?? .zero) } == Contracts(whole: 10))
            let fees = fills.reduce(Dollars.zero) { $0 + ($1.feeCost ?? .zero) }
            #expect(fees > .zero)  // a taker pays Kalshi's quadratic fee

            let position = try #require(try await rest.positions(ticker: atm).market.first { $0.ticker == atm })
            #expect(position.positionFp == Contracts(whole: 10))
            let after = try await rest.balance().available
            #expect(before - after == cost(of: fills))
            #expect(before - after == ask.price * Contracts(whole: 10) + fees)

            let order = try await rest.order(created.orderId)
            #expect(order.status == .executed && order.fillCountFp == Contracts(whole: 10))
        }
    }

    @Test("positions in several markets follow the cursor: each market once, as in the one-page answer")
    func positionsPaginate() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let event = try await rest.event(eventTicker)
            let strikes = (event.markets ?? []).sorted { ($0.floorStrike ?? .zero) < ($1.floorStrike ?? .zero) }
            let middle = strikes.count / 2
            let tickers = strikes[(middle - 1)...(middle + 1)].map(\.ticker)
            for (i, ticker) in tickers.enumerated() {
                let buy = CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: Int64(i + 1)), price: Dollars(cents: 99),
                                             timeInForce: .immediateOrCancel, clientOrderId: "pos-\(i)")
                #expect(try await rest.createOrder(buy).fillCount == Contracts(whole: Int64(i + 1)))
            }
            let paged = try await venue.rest(pageLimit: 1).positions().market
            let whole = try await venue.rest(pageLimit: 1000).positions().market
            #expect(paged.map(\.ticker).sorted() == tickers.sorted())
            #expect(paged.map(\.ticker).sorted() == whole.map(\.ticker).sorted())
            for (i, ticker) in tickers.enumerated() {
                #expect(paged.first { $0.ticker == ticker }?.positionFp == Contracts(whole: Int64(i + 1)))
            }
        }
    }

    @Test("a resting GTC order shows in the book and the orders list, and cancels")
    func restAndCancel() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let before = try await rest.balance().available
            let request = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 5), price: Dollars(cents: 10), clientOrderId: "rest-1")
            let created = try await rest.createOrder(request)
            #expect(created.fillCount == .zero && created.remainingCount == Contracts(whole: 5))
            #expect(try await rest.orderbook(atm).yes.contains(PriceLevel(price: Dollars(cents: 10), count: Contracts(whole: 5))))
            #expect(try await rest.orders(ticker: atm, status: .resting).map(\.orderId) == [created.orderId])
            #expect(try await rest.balance().available == before - Dollars(cents: 50))  // the order's collateral is held

            let canceled = try await rest.cancelOrder(created.orderId, ticker: atm)
            #expect(canceled.orderId == created.orderId && canceled.reducedBy == Contracts(whole: 5))
            #expect(try await rest.order(created.orderId).status == .canceled)
            #expect(try await rest.orders(ticker: atm, status: .resting).isEmpty)
            #expect(try await rest.orderbook(atm).yes.contains { $0.price == Dollars(cents: 10) } == false)
            #expect(try await rest.balance().available == before)
            // Cancelling again is harmless (Kalshi answers 200 with nothing reduced), so a retried cancel is safe.
            #expect(try await rest.cancelOrder(created.orderId, ticker: atm).reducedBy == .zero)
            await #expect(throws: KalshiError.self) { _ = try await rest.cancelOrder("no-such-order", ticker: atm) }
        }
    }

    @Test("a repeated create with the same client_order_id is the same order, and the venue holds exactly one")
    func idempotentCreate() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let request = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 12), clientOrderId: "same-1")
            let first = try await rest.createOrder(request)
            let second = try await rest.createOrder(request)
            #expect(second.orderId == first.orderId)
            #expect(second.clientOrderId == "same-1")
            let held = try await rest.orders(ticker: atm).filter { $0.clientOrderId == "same-1" }
            #expect(held.map(\.orderId) == [first.orderId])
            #expect(try await rest.orderbook(atm).yes.first { $0.price == Dollars(cents: 12) }?.count == Contracts(whole: 3))
            // A filled IOC repeated is the same filled order, not a second fill.
            let ioc = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 99),
                                         timeInForce: .immediateOrCancel, clientOrderId: "same-ioc")
            let a = try await rest.createOrder(ioc), b = try await rest.createOrder(ioc)
            #expect(a.orderId == b.orderId && b.fillCount == Contracts(whole: 2))
            #expect(try await rest.fills(ticker: atm).reduce(Contracts.zero) { $0 + ($1.countFp ?? .zero) } == Contracts(whole: 2))
        }
    }

    @Test("a batch create repeated resolves every item to its first order")
    func idempotentBatch() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let orders = [0, 1].map { i in
                CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 20 + Int64(i)), clientOrderId: "batch-\(i)")
            }
            let first = try await rest.createOrders(orders)
            let again = try await rest.createOrders(orders)
            #expect(first.orders.map(\.orderId) == again.orders.map(\.orderId))
            #expect(first.orders.allSatisfy { $0.orderId != nil && $0.error == nil })
            #expect(try await rest.orders(ticker: atm).count == 2)
            let canceled = try await rest.cancelOrders(first.orders.compactMap(\.orderId).map { BatchCancelItemRequest(orderId: $0, ticker: atm) })
            #expect(canceled.orders.allSatisfy { $0.error == nil })
            #expect(try await rest.orders(ticker: atm, status: .resting).isEmpty)
        }
    }
}
