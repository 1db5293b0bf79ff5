import BusTestSupport
import Foundation
import KalshiSim
import NIOHTTP1
import SimExchange
import Testing

@Suite struct FaultTests {
    @Test func sequenceGapsSkipNumbers() async throws {
        var faults = FaultSettings()
        faults.sequenceGapRate = 1
        try await withSim(faults: faults) { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["\#(atm)"]}}"#)
                let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "1", "price": "0.30",
                                           "time_in_force": "good_till_canceled", "self_trade_prevention_type": "maker"]
                #expect(try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body).status == 201)
                #expect(await eventually { frames.of("orderbook_delta").count == 1 })
            }
            #expect(frames.of("orderbook_snapshot").first?["seq"] as? Int == 2)
            #expect(frames.of("orderbook_delta").first?["seq"] as? Int == 4)
        }
    }

    @Test func malformedBodiesAreNotJSON() async throws {
        var faults = FaultSettings()
        faults.malformedRate = 1
        try await withSim(faults: faults) { sim in
            let r = try await sim.call(.GET, "/trade-api/v2/markets", signed: false)
            #expect(r.status == 200)
            #expect(r.json == nil)
            #expect(r.text.hasPrefix(#"{"markets":["#))
        }
    }

    @Test func burstsAnswer429ThenRecover() async throws {
        var faults = FaultSettings()
        faults.burstEverySeconds = 10
        faults.burstLengthMs = 1000
        try await withSim(faults: faults) { sim in
            // The frozen clock sits on a 10 s boundary: inside a burst.
            let limited = try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false)
            #expect(limited.status == 429)
            #expect(limited.text == #"{"error":"too many requests"}"#)
            sim.clock.advance(1000)
            #expect(try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false).status == 200)
        }
    }

    @Test func webSocketDropsCloseEverySession() async throws {
        var faults = FaultSettings()
        faults.wsDropEverySeconds = 5
        try await withSim(faults: faults) { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["ticker"]}}"#)
                #expect(await eventually { frames.of("subscribed").count == 1 })
                #expect(sim.server.webSocketCount == 1)
                sim.clock.advance(5000)
                #expect(await eventually { frames.closed })
            }
            #expect(frames.closed)
            #expect(await eventually { sim.server.webSocketCount == 0 })
        }
    }

    @Test func extraLatencyStillAnswers() async throws {
        var faults = FaultSettings()
        faults.extraLatencyMs = 20
        try await withSim(faults: faults) { sim in
            let r = try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false)
            #expect(r.status == 200)
        }
    }
}
