import BusKit
import BusWire
import Foundation
import Kalshi
import Logging
import Money
import TradingWire

/// Paper mode's account sync: the simulated account (``PaperAccount``) instead of a venue account. It stores the
/// executor's paper fills (`venue.fill`) and the settlements it makes in `account.sqlite` (rebuilding the account
/// from them at start), publishes `account.balance` and `account.positions` on every change, and settles the markets
/// held from the venue's public market endpoint (`GET /markets?tickers=`, no key needed) every `settle_interval`
/// and at once on a `market.lifecycle` message, publishing `venue.settlement` as the venue would.
actor PaperSync {
    private var account: PaperAccount
    private let store: AccountStore
    private let markets: KalshiRESTClient
    private let context: PluginContext

    /// The account rebuilt from what `store` holds.
    init(settings: AccountSyncSettings, store: AccountStore, context: PluginContext) async throws {
        var account = PaperAccount(start: settings.paperBalance)
        let (fills, settlements) = try await store.ledger()
        for fill in fills { account.apply(fill) }
        for settlement in settlements { account.replay(settlement) }
        self.account = account
        self.store = store
        self.context = context
        markets = KalshiRESTClient(configuration: KalshiConfiguration(baseURL: settings.restURL), credentials: nil, logger: context.logger)
    }

    /// A `venue.fill` from the paper executor: stored once, then applied.
    func fill(_ envelope: Envelope) async {
        let fill: VenueFill
        do { fill = try envelope.decode(VenueFill.self) } catch {
            context.health.rejected(topic: envelope.topic, reason: "\(error)")
            return
        }
        do { guard try await store.insert(fill) else { return } } catch {
            context.logger.error("cannot store a paper fill", metadata: ["fill": "\(fill.fillID)", "error": "\(error)"])
            return
        }
        account.apply(fill)
        publishAccount()
    }

    /// Looks the markets held up and settles those with a result.
    func settleDue() async {
        let held = account.held
        guard !held.isEmpty else { return }
        let found: [Market]
        do { found = try await markets.markets(tickers: held) } catch {
            context.health.set(.degraded, note: "cannot read market results: \(error)")
            return
        }
        if context.health.current == .degraded { context.health.set(.running, note: "paper mode") }
        var changed = false
        for market in found where held.contains(market.ticker) {
            guard let result = market.result?.rawValue, ["yes", "no", "void"].contains(result) else { continue }
            let ts = market.closeTime.map { Int64($0.timeIntervalSince1970) } ?? context.clock.now.microseconds / 1_000_000
            var next = account
            guard let settlement = next.settle(ticker: market.ticker, eventTicker: market.eventTicker, result: result, settledTs: ts) else { continue }
            do { _ = try await store.insert(settlement) } catch {
                context.logger.error("cannot store a paper settlement", metadata: ["ticker": "\(market.ticker)", "error": "\(error)"])
                continue
            }
            account = next
            changed = true
            publish(.venueSettlement, settlement)
            context.logger.info("paper settlement", metadata: ["ticker": "\(market.ticker)", "result": "\(result)",
                                                              "revenue": "\(settlement.revenue)"])
        }
        if changed { publishAccount() }
    }

    /// The balance and the positions, now.
    func publishAccount() {
        let time = context.clock.now.description
        publish(.accountBalance, account.balance(time: time))
        publish(.accountPositions, account.positionsMessage(time: time))
    }

    private func publish<M: BusMessage>(_ topic: Topic, _ message: M) {
        do { try context.bus.publish(topic, message) } catch {
            context.logger.error("cannot publish", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
