import BusKit
import BusWire
import Logging
import Synchronization
import TradingWire

/// Answers `cmd.account.query` from the account store: each query reads on the store's reader in its own task, so a
/// long history never delays the venue's pushes. At most `maxInFlight` run at once; more are answered "busy".
final class AccountQueryAnswerer: Sendable {
    /// Queries reading at once.
    static let maxInFlight = 4
    let store: AccountStore
    let context: PluginContext
    /// The rows of a page may take this many bytes: half the bus's largest message, leaving room for the rest.
    let byteBudget: Int
    private let inFlight = Atomic<Int>(0)

    init(store: AccountStore, context: PluginContext) {
        self.store = store; self.context = context
        byteBudget = context.configuration.bus.maxMessageSize / 2
    }

    /// Decodes one `cmd.account.query` and starts answering it; returns at once. A malformed query or one whose
    /// requester is not one topic segment is counted as rejected, never answered.
    func answer(_ envelope: Envelope) {
        guard let query = try? envelope.decode(AccountQuery.self) else {
            context.health.rejected(topic: envelope.topic, reason: "malformed account query")
            return
        }
        guard !query.requester.contains("."), (try? Topic(validating: "account.reply.\(query.requester)")) != nil else {
            context.health.rejected(topic: envelope.topic, reason: "bad requester '\(query.requester)'")
            return
        }
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= Self.maxInFlight else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            reply(query, AccountQueryResult(requestID: query.requestID, error: "busy: \(Self.maxInFlight) queries are being read; ask again"))
            return
        }
        Task {
            defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
            do { reply(query, try await store.page(query, byteBudget: byteBudget)) } catch {
                context.logger.warning("account query not answered", metadata: ["requester": "\(query.requester)", "error": "\(error)"])
                reply(query, AccountQueryResult(requestID: query.requestID, error: "\(error)"))
            }
        }
    }

    private func reply(_ query: AccountQuery, _ result: AccountQueryResult) {
        do { try context.bus.publish(.accountQueryReply(requester: query.requester), result) } catch {
            context.logger.error("cannot answer an account query", metadata: ["requester": "\(query.requester)", "error": "\(error)"])
        }
    }
}
