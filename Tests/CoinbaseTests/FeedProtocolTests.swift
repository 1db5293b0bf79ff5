import BusTestSupport
import BusWire
import Coinbase
import HummingbirdWSClient
import Logging
import Money
import PriceSim
import Synchronization
import Testing

/// Text frames a raw WebSocket client received.
final class Frames: Sendable {
    private let texts = Mutex<[String]>([])
    func append(_ t: String) { texts.withLock { $0.append(t) } }
    var all: [String] { texts.withLock { $0 } }
}

@Suite("The simulated feed speaks Coinbase's protocol")
struct FeedProtocolTests {
    static let start: Int64 = 1_750_000_000

    /// Sends `requests` one by one on a raw connection and collects the answers until `done` holds.
    func exchange(_ requests: [String], until done: @escaping @Sendable ([String]) -> Bool) async throws -> [String] {
        let clock = ManualClock(startMicros: Self.start * 1_000_000)
        let feed = CoinbaseFeed(process: SyntheticProcess(seed: 1, start: Self.start - 60, initialPrice: Dollars("100000")!), clock: clock)
        let frames = Frames()
        try await PriceSimServer(feed: feed).withRunning { port in
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/coinbase", logger: Logger(label: "raw")) { inbound, outbound, _ in
                for r in requests { try await outbound.write(.text(r)) }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let t) = message { frames.append(t) }
                    if done(frames.all) { break }
                }
            }
        }
        return frames.all
    }

    @Test("channel objects subscribe too; the answer lists them, then ticker and heartbeat follow with Coinbase's fields")
    func channelObjects() async throws {
        let frames = try await exchange([#"{"type":"subscribe","channels":[{"name":"ticker","product_ids":["BTC-USD"]},"heartbeat"]}"#]) {
            $0.count >= 3
        }
        #expect(frames[0] == #"{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["BTC-USD"]},{"name":"heartbeat","product_ids":["BTC-USD"]}]}"#)
        for field in ["type", "sequence", "product_id", "price", "open_24h", "volume_24h", "low_24h", "high_24h", "volume_30d",
                      "best_bid", "best_bid_size", "best_ask", "best_ask_size", "side", "time", "trade_id", "last_size"] {
            #expect(frames[1].contains("\"\(field)\":"), "ticker has \(field)")
        }
        #expect(frames[1].contains(#""type":"ticker""#) && frames[2].contains(#""type":"heartbeat""#))
        #expect(frames[2].contains(#""last_trade_id":"#))
    }

    @Test("unknown products, unknown channels and broken JSON get Coinbase-style errors")
    func errors() async throws {
        let frames = try await exchange([
            #"{"type":"subscribe","product_ids":["BTC-EUR"],"channels":["ticker"]}"#,
            #"{"type":"subscribe","product_ids":["BTC-USD"],"channels":["level3"]}"#,
            "{oops",
        ]) { $0.count >= 3 }
        #expect(frames[0] == #"{"type":"error","message":"Failed to subscribe","reason":"BTC-EUR is not a valid product"}"#)
        #expect(frames[1] == #"{"type":"error","message":"Failed to subscribe","reason":"level3 is not a valid channel"}"#)
        #expect(frames[2].contains(#""type":"error""#))
    }

    @Test("a scaled clock runs the market faster than real time, second after second without holes")
    func scaledClock() async throws {
        let process = SyntheticProcess(seed: 2, start: Self.start - 60, initialPrice: Dollars("100000")!)
        let feed = CoinbaseFeed(process: process, clock: ScaledClock(startMicros: Self.start * 1_000_000, speed: 50))
        let recorder = Recorder()
        try await PriceSimServer(feed: feed).withRunning { port in
            let client = CoinbaseFeedClient(configuration: .init(url: "ws://127.0.0.1:\(port)/coinbase", silenceTimeout: 120))
            let running = Task { await client.run { recorder.append($0) } }
            #expect(await eventually { recorder.ticks.count >= 30 })
            running.cancel()
            await running.value
            #expect(client.statistics.gaps == 0)
        }
        let ticks = recorder.ticks
        let seconds = ticks.map { $0.time.microseconds / 1_000_000 }
        #expect(zip(seconds, seconds.dropFirst()).allSatisfy { $1 == $0 + 1 })
        #expect(ticks.allSatisfy { $0.price == process.value(atSecond: $0.time.microseconds / 1_000_000) })
    }
}
