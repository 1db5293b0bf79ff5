import BusKit
import BusWire
import Logging
import Synchronization
import TradingWire

/// Answers `cmd.trades.query` off the plugin's loop: each query reads on the store's reader in its own task, so a
/// long history never delays an order event. At most `maxInFlight` run at once; more are answered "busy".
final class TradeQueryAnswerer: Sendable {
    /// Queries reading at once.
    static let maxInFlight = 4
    let store: TradeStore
    let context: PluginContext
    /// The trades of a page may take this many bytes: half the bus's largest message, leaving room for the rest.
    let byteBudget: Int
    private let inFlight = Atomic<Int>(0)

    init(store: TradeStore, context: PluginContext) {
        self.store = store; self.context = context
        byteBudget = context.configuration.bus.maxMessageSize / 2
    }

    /// Starts answering `query`; returns at once.
    func answer(_ query: TradeQuery) {
        guard Self.isValidRequester(query.requester) else {
            context.health.rejected(topic: Topic.tradeQuery.rawValue, reason: "bad requester '\(query.requester)'")
            return
        }
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= Self.maxInFlight else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            reply(query, TradeQueryResult(requestID: query.requestID, trades: [], truncated: false,
                                          error: "busy: \(Self.maxInFlight) queries are being read; ask again"))
            return
        }
        Task {
            defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
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

    /// A requester names one topic segment: letters, digits, `-` and `_`.
    static func isValidRequester(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy {
            (("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-" || $0 == "_")
        }
    }
}
