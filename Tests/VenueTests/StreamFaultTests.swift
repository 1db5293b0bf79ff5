import BusTestSupport
import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

@Suite("WebSocket client under the simulator's stream faults")
struct StreamFaultTests {
    @Test("drops: the client reconnects with a fresh signature, resubscribes, and its book is valid and current again")
    func drops() async throws {
        var faults = FaultSettings()
        faults.wsDropEverySeconds = 5
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest()
            try await withStream(venue, [.orderbookDelta, .ticker], markets: [atm]) { ws, log in
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                for round in 1...2 {
                    // Past the drop period and past the 30 s signature window: the simulator drops every session on
                    // its next tick, and a reconnect signed with the first handshake's timestamp would be refused.
                    venue.clock.advance(40_000)
                    #expect(await eventually { log.connections == round + 1 })
                    #expect(await eventually { log.snapshots(atm) == round + 1 })  // resubscribed: a fresh snapshot
                    // Changes made after the reconnect reach the book.
                    try await restBid(rest, cents: Int64(20 + round), count: Int64(round), id: "drop-\(round)")
                    #expect(await eventually { await bookMatchesREST(ws, rest, yesAt: Int64(20 + round), Int64(round)) })
                }
                #expect(await eventually { log.subscribed.filter { $0 == "orderbook_delta" }.count == 3 })
                #expect(await eventually { log.subscribed.filter { $0 == "ticker" }.count == 3 })
                #expect(log.all.contains { if case .disconnected = $0 { true } else { false } })
                #expect(venue.sleeps.count >= 2)  // one reconnect backoff per drop
            }
            #expect(await eventually { venue.server.webSocketCount == 0 })
        }
    }

    @Test("a 429 burst refuses the WebSocket upgrade: the client keeps retrying and connects once the burst ends")
    func upgradeRefusedInBurst() async throws {
        var faults = FaultSettings()
        faults.burstEverySeconds = 10
        faults.burstLengthMs = 1000
        try await withVenue(faults: faults) { venue in
            // The frozen clock starts inside a burst.
            try await withStream(venue, [.orderbookDelta], markets: [atm]) { ws, log in
                #expect(await eventually { log.all.filter { if case .disconnected(let e?) = $0 { e.kind == .webSocket } else { false } }.count >= 2 })
                #expect(log.connections == 0)
                venue.clock.advance(1000)  // the burst ends
                let rest = venue.rest()
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                #expect(log.connections == 1)
            }
        }
    }

    @Test("sequence gaps: the client detects each gap, asks for a snapshot, and its book ends equal to REST")
    func sequenceGaps() async throws {
        var faults = FaultSettings()
        faults.sequenceGapRate = 0.5
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest()
            try await withStream(venue, [.orderbookDelta], markets: [atm]) { ws, log in
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                for i in 0..<8 {
                    try await restBid(rest, cents: Int64(20 + i), count: Int64(i + 1), id: "gap-\(i)")
                    #expect(await eventually { await bookMatchesREST(ws, rest) })
                }
                #expect(await eventually { log.snapshots(atm) > 1 })  // at least one gap was seen and repaired by a re-snapshot
                #expect(log.connections == 1)  // repaired in place, not by reconnecting
                let book = try #require(await ws.book(atm))
                for i in 0..<8 { #expect(book.yes[Dollars(cents: 20 + Int64(i))] == Contracts(whole: Int64(i + 1))) }
            }
        }
    }

    @Test("every sequenced message skips a number: the book is still repaired after every change")
    func everyMessageGaps() async throws {
        var faults = FaultSettings()
        faults.sequenceGapRate = 1
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest()
            try await withStream(venue, [.orderbookDelta], markets: [atm]) { ws, log in
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                for i in 0..<3 {
                    try await restBid(rest, cents: Int64(30 + i), id: "allgap-\(i)")
                    #expect(await eventually { await bookMatchesREST(ws, rest, yesAt: Int64(30 + i), 1) })
                    #expect(await eventually { log.snapshots(atm) == i + 2 })
                }
            }
        }
    }
}
