import BusWire
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A clock running `speed` times faster than the system clock from a common origin: how plugins in other processes
/// follow `recio sim --speed N`. Simulated time = `startMs + (real − realStartMs) × speed`; sleeps last
/// `seconds / speed` real seconds.
public struct ScaledBusClock: BusClock {
    /// Simulated Unix ms at the origin.
    public let startMs: Int64
    /// Real Unix ms at the origin.
    public let realStartMs: Int64
    /// Simulated seconds per real second.
    public let speed: Double
    private let system = SystemClock()

    /// A clock from an origin and a speed.
    public init(startMs: Int64, realStartMs: Int64, speed: Double) {
        self.startMs = startMs
        self.realStartMs = realStartMs
        self.speed = max(speed, 0.001)
    }

    public var now: BusTime {
        let realMicros = system.now.microseconds - realStartMs * 1000
        return BusTime(microseconds: startMs * 1000 + Int64((Double(realMicros) * speed).rounded()))
    }

    public func sleep(seconds: Double) async throws { try await system.sleep(seconds: seconds / speed) }
}

/// The file `recio sim` writes so that plugins on the same host read its clock (`[bus] clock = simulator`).
public struct SimulatorClockFile: Codable, Sendable, Hashable {
    public var startMs: Int64
    public var realStartMs: Int64
    public var speed: Double
    /// The simulator's process id, so that a reader can tell a file left behind by a simulator that is gone.
    public var pid: Int32

    public init(startMs: Int64, realStartMs: Int64, speed: Double, pid: Int32) {
        self.startMs = startMs; self.realStartMs = realStartMs; self.speed = speed; self.pid = pid
    }

    enum CodingKeys: String, CodingKey { case startMs = "start_ms", realStartMs = "real_start_ms", speed, pid }

    /// `$RECIO_HOME/sim/clock.json` (``DataLayout/simulatorClock``).
    public static func defaultPath(home: String) -> String { DataLayout(home: home, mode: .sim).simulatorClock }

    /// Writes the file (atomically) for readers on this host.
    public func write(to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads the file; throws a ``BusError`` naming the file when it is missing, unreadable or its simulator is gone.
    public static func read(from path: String) throws(BusError) -> SimulatorClockFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BusError(.configuration, "[bus] clock = simulator, but \(path) does not exist: start `recio sim` first")
        }
        guard let file = try? JSONDecoder().decode(SimulatorClockFile.self, from: data) else {
            throw BusError(.configuration, "\(path) is not a simulator clock file")
        }
        guard kill(file.pid, 0) == 0 || errno == EPERM else {
            throw BusError(.configuration, "\(path) was written by simulator pid \(file.pid), which is no longer running")
        }
        return file
    }

    /// The clock this file describes.
    public var clock: ScaledBusClock { ScaledBusClock(startMs: startMs, realStartMs: realStartMs, speed: speed) }
}
