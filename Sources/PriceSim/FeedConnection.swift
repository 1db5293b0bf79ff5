import HummingbirdWebSocket
import NIOWebSocket
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One client of the simulated feed: reads its `subscribe`/`unsubscribe` requests and, once subscribed, sends
/// the market every simulated second until either side closes.
final class FeedConnection: Sendable {
    let feed: CoinbaseFeed
    let outbound: WebSocketOutboundWriter
    let channels = Mutex<Set<String>>([])

    init(feed: CoinbaseFeed, outbound: WebSocketOutboundWriter) {
        self.feed = feed
        self.outbound = outbound
    }

    func serve(_ inbound: WebSocketInboundStream) async {
        let writer = outbound
        let id = feed.faults.register { Task { try? await writer.close(.goingAway, reason: "dropped by the simulator") } }
        defer { feed.faults.unregister(id) }
        var sender: Task<Void, Never>?
        do {
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message else { continue }
                if try await handle(text), sender == nil {
                    sender = Task { await send(connection: id) }
                }
            }
        } catch {}
        sender?.cancel()
        await sender?.value
    }

    /// Answers one request; true when the connection is now subscribed to something.
    private func handle(_ text: String) async throws -> Bool {
        guard let request = try? JSONDecoder().decode(Request.self, from: Data(text.utf8)) else {
            try await outbound.writeTextMessage(FeedMessages.error("Malformed JSON", reason: "cannot parse the request"))
            return false
        }
        var products = request.product_ids ?? []
        var names: [String] = []
        for channel in request.channels ?? [] {
            names.append(channel.name)
            products += channel.product_ids ?? []
        }
        if let bad = products.first(where: { $0 != feed.product }) {
            try await outbound.writeTextMessage(FeedMessages.error("Failed to subscribe", reason: "\(bad) is not a valid product"))
            return false
        }
        if let bad = names.first(where: { !CoinbaseFeed.channels.contains($0) }) {
            try await outbound.writeTextMessage(FeedMessages.error("Failed to subscribe", reason: "\(bad) is not a valid channel"))
            return false
        }
        let now: Set<String>
        switch request.type {
        case "subscribe":
            now = channels.withLock { $0.formUnion(names); return $0 }
            feed.faults.subscribed()
        case "unsubscribe":
            now = channels.withLock { $0.subtract(names); return $0 }
        default:
            try await outbound.writeTextMessage(FeedMessages.error("Failed to subscribe", reason: "unknown type \(request.type)"))
            return false
        }
        let list = CoinbaseFeed.channels.filter(now.contains)
        try await outbound.writeTextMessage(FeedMessages.subscriptions(list, product: feed.product))
        return !now.isEmpty
    }

    /// Sends each simulated second's messages; catches up when behind, jumps when far behind (as a real feed
    /// would not replay minutes it missed).
    private func send(connection id: UInt64) async {
        var second = feed.clock.nowMicros.floorDiv(1_000_000)
        do {
            while !Task.isCancelled {
                for raw in feed.faults.takePending(id) { try await outbound.writeTextMessage(raw) }
                let subscribed = channels.withLock { $0 }
                if let market = feed.market(at: second) {
                    if subscribed.contains("ticker") { try await outbound.writeTextMessage(FeedMessages.ticker(market, product: feed.product)) }
                    if subscribed.contains("heartbeat") { try await outbound.writeTextMessage(FeedMessages.heartbeat(market, product: feed.product)) }
                }
                second += 1
                let now = feed.clock.nowMicros.floorDiv(1_000_000)
                if now - second > 300 { second = now }
                try await feed.clock.sleep(untilMicros: second * 1_000_000)
            }
        } catch {}
    }
}

/// A client request: `{"type":"subscribe","product_ids":[…],"channels":["ticker", {"name":…,"product_ids":[…]}]}`.
private struct Request: Decodable {
    struct Channel: Decodable {
        var name: String
        var product_ids: [String]?

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                self.name = name
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            product_ids = try c.decodeIfPresent([String].self, forKey: .product_ids)
        }
        enum CodingKeys: String, CodingKey { case name, product_ids }
    }
    var type: String
    var product_ids: [String]?
    var channels: [Channel]?
}
