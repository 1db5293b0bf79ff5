import BusKit
import BusTestSupport
import BusTools
import BusWire
import Foundation
import Testing

@Suite("Terminal tools: tapes, field paths, rates, record and replay over the broker")
struct ToolsTests {
    func entry(_ topic: String, seq: UInt64, at seconds: Int64, data: String = #"{"x":1}"#) -> Tape.Entry {
        Tape.Entry(received: BusTime(seconds: seconds), envelope: Envelope(topic: topic, type: "t", src: "s@h", seq: seq,
                                                                         ts: BusTime(seconds: seconds - 1), data: Array(data.utf8)))
    }

    @Test("a tape round-trips, and a truncated last line is skipped, not fatal")
    func tapeRoundTrip() {
        let entries = [entry("a.b", seq: 1, at: 10), entry("market.KXBTCD-25MAY1522-T106249.99.book", seq: 2, at: 11, data: #"{"s":"q\"uote"}"#)]
        var bytes = Tape.header(created: BusTime(seconds: 1), filters: [.all])
        for e in entries { bytes += Tape.line(e) }
        #expect(Tape.parse(bytes).entries == entries)
        let cut = Array(bytes.dropLast(9))
        let parsed = Tape.parse(cut)
        #expect(parsed.entries == [entries[0]])
        #expect(parsed.skipped == 1)
    }

    @Test("a replay leaves intents, commands, controls and settings out unless they are named")
    func playLeavesProtectedTopicsOut() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let tape = ["order.intent.auto-entry", "cmd.settings.auto-entry", "sys.control.trading", "settings.auto-entry", "rec.a"]
            .enumerated().map { entry($1, seq: 1, at: Int64(10 + $0)) }
        var player = Player(options: broker.options)
        player.rate = 0
        #expect(try await player.play(tape) == 1)
        player.include = [try TopicFilter(validating: "cmd.settings.auto-entry")]
        #expect(try await player.play(tape) == 2)
    }

    @Test("field paths reach into objects and arrays")
    func fieldPaths() {
        let json = Array(#"{"bus":{"gaps":3},"topics":[{"topic":"a"},{"topic":"b"}],"s":"text"}"#.utf8)
        #expect(FieldPath("bus.gaps").extract(from: json) == "3")
        #expect(FieldPath("topics.1.topic").extract(from: json) == "b")
        #expect(FieldPath("s").extract(from: json) == "text")
        #expect(FieldPath("bus").extract(from: json) == #"{"gaps":3}"#)
        #expect(FieldPath("nope.x").extract(from: json) == nil)
    }

    @Test("rates come from the intervals between messages inside the window")
    func rates() {
        var r = RateTracker(window: 10)
        for i in 0..<5 { r.record(topic: "t", src: i % 2 == 0 ? "a@h" : "b@h", at: BusTime(microseconds: Int64(i) * 500_000)) }
        let s = r.snapshot(now: BusTime(seconds: 3))
        #expect(s.count == 1)
        #expect(s[0].rate == 2)
        #expect(s[0].minInterval == 0.5 && s[0].maxInterval == 0.5)
        #expect(s[0].publishers == ["a@h", "b@h"])
        #expect(s[0].count == 5)
    }

    @Test("record then play through the real broker: same topics, order and payloads")
    func recordReplay() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let path = Processes.tempDir("tape") + "/t.tape"
        let topics = ["rec.a", "rec.b.x", "rec.c"].map { try! Topic(validating: $0) }
        // Record 30 messages from two publishers.
        let recorderBus = try broker.connect(as: "recorder@test")
        let writer = try TapeWriter(path: path, filters: [try TopicFilter(validating: "rec.")], created: BusTime(seconds: 0))
        let recorder = Recorder(bus: recorderBus, filters: [try TopicFilter(validating: "rec.")])
        let p1 = try broker.connect(as: "one@test"), p2 = try broker.connect(as: "two@test")
        defer { p1.close(); p2.close() }
        _ = await p1.waitUntilConnected(timeoutSeconds: 10)
        _ = await p2.waitUntilConnected(timeoutSeconds: 10)
        // Prime until the recorder's subscription is live, then record exactly 30.
        let prime = try broker.connect(as: "prime@test")
        let live = recorderBus.subscribe([try TopicFilter(validating: "prime.")])
        let pump = Task { for _ in 0..<2000 where !Task.isCancelled { try? prime.publish(try Topic(validating: "prime.x"), type: "t", data: Array("{}".utf8)); try? await Task.sleep(for: .milliseconds(5)) } }
        _ = await live.first(within: 20) { _ in true }
        pump.cancel()
        prime.close()
        let recording = Task { await recorder.record(into: writer, count: 30) }
        let limit = Task { try await Task.sleep(for: .seconds(30)); recording.cancel() }  // only keeps a broken test from hanging
        defer { limit.cancel() }
        for i in 0..<30 {
            let bus = i % 3 == 0 ? p2 : p1
            try bus.publish(topics[i % 3], type: "t\(i % 2)", data: Array(#"{"i":\#(i)}"#.utf8))
        }
        await recording.value
        recorderBus.close()
        let tape = try Tape.read(path: path)
        #expect(tape.entries.count == 30)
        #expect(tape.skipped == 0)

        // Replay as fast as possible to a fresh subscriber.
        let listener = try broker.connect(as: "listener@test")
        defer { listener.close() }
        let sub = listener.subscribe([try TopicFilter(validating: "rec.")])
        let ready = listener.subscribe([try TopicFilter(validating: "sync.")])
        let syncBus = try broker.connect(as: "sync@test")
        let syncPump = Task { for _ in 0..<2000 where !Task.isCancelled { try? syncBus.publish(try Topic(validating: "sync.x"), type: "t", data: Array("{}".utf8)); try? await Task.sleep(for: .milliseconds(5)) } }
        _ = await ready.first(within: 20) { _ in true }
        syncPump.cancel()
        syncBus.close()
        var player = Player(options: broker.options)
        player.rate = 0
        let published = try await player.play(tape.entries)
        #expect(published == 30)
        let collected = Collected()
        _ = await sub.first(within: 30) { e in collected.append(e); return collected.count == 30 }
        let got = collected.all
        #expect(got.map(\.topic) == tape.entries.map(\.envelope.topic))
        #expect(got.map(\.data) == tape.entries.map(\.envelope.data))
        #expect(got.map(\.type) == tape.entries.map(\.envelope.type))
        // Under the player's own identity, never the recorded publishers'.
        #expect(got.allSatisfy { $0.src == "play@local" })
    }
}

import Synchronization
final class Collected: Sendable {
    private let items = Mutex<[Envelope]>([])
    func append(_ e: Envelope) { items.withLock { $0.append(e) } }
    var count: Int { items.withLock { $0.count } }
    var all: [Envelope] { items.withLock { $0 } }
}
