import ArgumentParser
import BusKit
import BusWire
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension BusOptions {
    /// A bus connection for a terminal tool, named `<tool>-<pid>@<host>`.
    func connect(as tool: String) throws -> ZMQBus {
        let config = try load()
        do {
            // The configured clock, so a tool judges envelopes from a fleet on the simulator's clock by that clock.
            let clock = (try? config.makeClock()) ?? SystemClock()
            return try ZMQBus(source: "\(tool)-\(getpid())@\(host)", options: config.connectionOptions(identity: tool), clock: clock)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// Parses filters typed by a person; none means everything.
func parseFilters(_ texts: [String]) throws -> [TopicFilter] {
    if texts.isEmpty { return [.all] }
    return try texts.map { t in
        do { return try TopicFilter(validating: t) } catch { throw ValidationError("\(error)") }
    }
}

/// Closes `bus` (ending its subscriptions) after `seconds`, or after `idle` seconds without a ``touch()``.
final class Watchdog: Sendable {
    private let last = Mutex(SystemClock().now)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)
    let timedOut = Atomic<Bool>(false)

    var didTimeOut: Bool { timedOut.load(ordering: .relaxed) }

    init(bus: any Bus, seconds: Double?, idle: Double?) {
        guard seconds != nil || idle != nil else { return }
        let started = SystemClock().now
        let t = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                let now = SystemClock().now
                if let seconds, started.seconds(until: now) >= seconds { break }
                if let idle, last.withLock({ $0 }).seconds(until: now) >= idle { timedOut.store(true, ordering: .relaxed); break }
            }
            if !Task.isCancelled { bus.close(flushSeconds: 0.5) }
        }
        task.withLock { $0 = t }
    }

    func touch() { last.withLock { $0 = SystemClock().now } }
    func cancel() { task.withLock { $0?.cancel() } }
}

/// Prints to stderr.
func printError(_ text: String, terminator: String = "\n") {
    let bytes = Array((text + terminator).utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Prints `value` as sorted, indented JSON (slashes left as they are): every command's `--json`.
func printJSON(_ value: some Encodable) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try e.encode(value), as: UTF8.self))
}
