import BusKit
import BusWire
import Logging
import TradingWire

/// Answers `cmd.trades.query` off the plugin's loop: each query reads on the store's reader in its own task, so a
/// long history never delays an order event. At most four run at once; more are answered "busy".
final class TradeQueryAnswerer: Sendable {
    /// At most four queries read at once.
    let inFlight = InFlightLimit(4)
    let store: TradeStore
    let context: PluginContext
    /// The trades of a page may take this many bytes: half the bus's largest message, leaving room for the rest.
    let byteBudget: Int

    init(store: TradeStore, context: PluginContext) {
        self.store = store; self.context = context
        byteBudget = context.configuration.bus.maxMessageSize / 2
    }

    /// Starts answering `query`; returns at once.
    func answer(_ query: TradeQuery) {
        guard Topic.isWord(query.requester) else {
            context.health.rejected(topic: Topic.tradeQuery.rawValue, reason: "bad requester '\(query.requester)'")
            return
        }
        guard inFlight.enter() else {
            reply(query, TradeQueryResult(requestID: query.requestID, trades: [], truncated: false,
                                          error: "busy: \(inFlight.limit) queries are being read; ask again"))
            return
        }
        Task {
            defer { inFlight.leave() }
            do {
                reply(query, try await store.query(query, byteBudget: byteBudget))
            } catch {
                context.logger.warning("trade query not answered", metadata: ["requester": "\(query.requester)", "error": "\(error)"])
                reply(query, TradeQueryResult(requestID: query.requestID, trades: [], truncated: false, error: "\(error)"))
            }
        }
    }

    private func reply(_ query: TradeQuery, _ result: TradeQueryResult) {
        do { try context.bus.publish(.tradeQueryReply(requester: query.requester), result) } catch {
            context.logger.error("cannot answer a trade query", metadata: ["requester": "\(query.requester)", "error": "\(error)"])
        }
    }
}
