import BusWire
import Synchronization

/// What a plugin tells the world about itself; the heartbeat service publishes it.
public final class Health: Sendable {
    private struct State {
        var state: PluginState = .starting
        var note: String?
        var dataSeen: [String: BusTime?] = [:]
        var undecodable: UInt64 = 0
        var lastRejection: (topic: String, reason: String)?
    }
    private let state = Mutex(State())

    public init() {}

    /// Sets the lifecycle state and an optional note for people.
    public func set(_ s: PluginState, note: String? = nil) {
        state.withLock { $0.state = s; $0.note = note }
    }

    /// Declares an input the plugin depends on; its age shows as nil until ``saw(_:at:)``.
    public func depends(on input: String) { state.withLock { if $0.dataSeen[input] == nil { $0.dataSeen[input] = .some(nil) } } }

    /// Records that fresh `input` data arrived at `time`.
    public func saw(_ input: String, at time: BusTime) { state.withLock { $0.dataSeen[input] = time } }

    /// Records that a message on `topic` could not be used (its `data` does not decode as the type the plugin reads
    /// there, or its type is not one the plugin reads on that topic). The count goes out in every heartbeat as
    /// ``Heartbeat/undecodable``.
    public func rejected(topic: String, reason: String) {
        state.withLock { $0.undecodable += 1; $0.lastRejection = (topic, reason) }
    }

    /// Messages counted by ``rejected(topic:reason:)`` so far.
    public var undecodable: UInt64 { state.withLock { $0.undecodable } }

    /// The topic and reason of the latest rejection, if any.
    public var lastRejection: (topic: String, reason: String)? { state.withLock { $0.lastRejection } }

    /// The current state.
    public var current: PluginState { state.withLock { $0.state } }

    func snapshot(now: BusTime) -> (PluginState, String?, [String: Double?]) {
        state.withLock { s in
            (s.state, s.note, s.dataSeen.mapValues { seen in seen.map { $0.seconds(until: now) } })
        }
    }
}
