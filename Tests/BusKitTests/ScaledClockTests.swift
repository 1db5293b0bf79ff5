import BusKit
import BusWire
import Foundation
import Testing

@Suite("Following the simulator's clock")
struct ScaledClockTests {
    @Test func aScaledClockRunsFasterFromItsOrigin() {
        let realNow = SystemClock().now.microseconds / 1000
        let clock = ScaledBusClock(startMs: 1_000_000_000_000, realStartMs: realNow - 1_000, speed: 60)
        let simulated = clock.now.microseconds / 1000 - 1_000_000_000_000
        #expect(simulated >= 60_000)  // at least one real second has passed since the origin, times 60
    }

    @Test func theClockFileRoundTripsAndRefusesAMissingOrOrphanedFile() throws {
        let dir = NSTemporaryDirectory() + "clock-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/sim/clock.json"
        #expect(throws: BusError.self) { try SimulatorClockFile.read(from: path) }
        let mine = SimulatorClockFile(startMs: 5, realStartMs: 6, speed: 30, pid: ProcessInfo.processInfo.processIdentifier)
        try mine.write(to: path)
        #expect(try SimulatorClockFile.read(from: path) == mine)
        var gone = mine
        gone.pid = 999_999_999
        try gone.write(to: path)
        #expect(throws: BusError.self) { try SimulatorClockFile.read(from: path) }
    }

    @Test func theSimulatorClockNeedsModeSim() throws {
        let text = "[bus]\nmode = demo\nclock = simulator\n"
        #expect(throws: ConfigErrors.self) { try BusConfiguration(file: ConfigFile(path: "b.conf", text: text), pluginKeys: [:]) }
        let fine = try BusConfiguration(file: ConfigFile(path: "b.conf", text: "[bus]\nclock = simulator\nsim_clock_file = /x/c.json\n"), pluginKeys: [:])
        #expect(fine.bus.clock == "simulator" && fine.bus.simClockFile == "/x/c.json")
        #expect(throws: BusError.self) { try fine.makeClock() }
    }
}
