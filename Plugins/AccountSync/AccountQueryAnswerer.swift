import BusKit
import BusWire
import Logging
import TradingWire

/// Answers `cmd.account.query` from the account store: each query reads on the store's reader in its own task, so a
/// long history never delays the venue's pushes. At most four run at once; more are answered "busy".
final class AccountQueryAnswerer: Sendable {
    /// At most four queries read at once.
    let inFlight = InFlightLimit(4)
    let store: AccountStore
    let context: PluginContext
    /// The rows of a page may take this many bytes: half the bus's largest message, leaving room for the rest.
    let byteBudget: Int

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
        guard Topic.isWord(query.requester) else {
            context.health.rejected(topic: envelope.topic, reason: "bad requester '\(query.requester)'")
            return
        }
        guard inFlight.enter() else {
            reply(query, AccountQueryResult(requestID: query.requestID, error: "busy: \(inFlight.limit) queries are being read; ask again"))
            return
        }
        Task {
            defer { inFlight.leave() }
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
