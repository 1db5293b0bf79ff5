import BusWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The message bus as a plugin sees it: publish on a topic, subscribe with filters.
///
/// Two implementations share every behaviour: ``ZMQBus`` (real libzmq sockets through the broker) and
/// ``InMemoryBus`` (one process, for unit tests and backtests).
public protocol Bus: Sendable {
    /// This publisher's identity on the wire, `<plugin>@<host>`.
    var source: String { get }

    /// Publishes `data` (a JSON object's UTF-8 text) on `topic` with envelope type `type`.
    /// - Throws: ``BusError`` when `data` is not one JSON object, is too large, or the bus is closed.
    func publish(_ topic: Topic, type: String, data: [UInt8]) throws(BusError)

    /// Subscribes to every topic matching any of `filters`. The latest value of each matching state topic
    /// arrives first. At most `bufferSize` messages wait for the consumer; more are dropped and counted.
    func subscribe(_ filters: [TopicFilter], bufferSize: Int) -> Subscription

    /// What this connection has published, received, dropped and refused.
    var counters: BusCounters { get }

    /// Waits until the broker is connected (always true in memory). Returns false on timeout.
    func waitUntilConnected(timeoutSeconds: Double) async -> Bool

    /// Sends what is queued (waiting at most `flushSeconds`), ends every subscription and closes the connection.
    func close(flushSeconds: Double)
}

extension Bus {
    /// Publishes a typed message.
    public func publish<M: BusMessage>(_ topic: Topic, _ message: M) throws(BusError) {
        let data: Data
        do { data = try JSONEncoder().encode(message) } catch {
            throw BusError(.encoding, "cannot encode \(M.self): \(error)")
        }
        try publish(topic, type: M.typeName, data: Array(data))
    }

    /// Subscribes with the default buffer of 100,000 messages.
    public func subscribe(_ filters: [TopicFilter]) -> Subscription { subscribe(filters, bufferSize: 100_000) }

    /// Closes after flushing for at most two seconds.
    public func close() { close(flushSeconds: 2) }
}
