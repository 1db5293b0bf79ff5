import BusTestSupport
import Foundation
import KalshiSim
import NIOHTTP1
import SimExchange
import Testing

@Suite struct SubscriptionTests {
    @Test func updateSubscriptionAddsMarketsAndReplaysSnapshots() async throws {
        try await withSim(makers: true) { sim in
            let other = "KXBTCD-26SEP0920-T100249.99"
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"\#(atm)"}}"#)
                #expect(await eventually { frames.of("orderbook_snapshot").count == 1 })
                try await send(#"{"id":2,"cmd":"update_subscription","params":{"sid":1,"action":"add_markets","market_tickers":["\#(other)"]}}"#)
                #expect(await eventually { frames.of("orderbook_snapshot").count == 2 })
                try await send(#"{"id":3,"cmd":"update_subscription","params":{"sids":[1],"action":"get_snapshot","market_tickers":["\#(atm)"]}}"#)
                #expect(await eventually { frames.of("orderbook_snapshot").count == 3 })
                try await send(#"{"id":4,"cmd":"list_subscriptions"}"#)
                try await send(#"{"id":5,"cmd":"subscribe","params":{"channels":["orderbook_delta"]}}"#)
                #expect(await eventually { frames.of("error").count == 1 && frames.of("ok").count == 2 })
            }
            let ok = try #require(frames.of("ok").first { $0["id"] as? Int == 2 })
            #expect(dict(ok["msg"])["market_tickers"] as? [String] == [atm, other])
            let seqs = frames.all.filter { $0["sid"] as? Int == 1 && $0["seq"] != nil }.map { $0["seq"] as? Int }
            #expect(seqs == Array(1...seqs.count).map { Optional($0) })
            let snapshot = dict(frames.of("orderbook_snapshot").first?["msg"])
            #expect((snapshot["yes_dollars_fp"] as? [[String]])?.last == ["0.4800", "100.00"])
            #expect((snapshot["no_dollars_fp"] as? [[String]])?.last == ["0.4800", "100.00"])
            #expect(dict(frames.of("error").first?["msg"])["code"] as? Int == 14)
            #expect(frames.of("orderbook_snapshot").allSatisfy { $0["sid"] as? Int == 1 })
            let list = frames.of("ok").first { $0["id"] as? Int == 4 }
            #expect((list?["msg"] as? [[String: Any]])?.first?["channel"] as? String == "orderbook_delta")
        }
    }

    @Test func useYesPriceQuotesTheNoSideOnTheYesLeg() async throws {
        try await withSim(makers: true) { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["\#(atm)"],"use_yes_price":true}}"#)
                #expect(await eventually { frames.of("orderbook_snapshot").count == 1 })
            }
            let no = dict(frames.of("orderbook_snapshot").first?["msg"])["no_dollars_fp"] as? [[String]]
            #expect(no == [["0.5400", "100.00"], ["0.5300", "100.00"], ["0.5200", "100.00"]])
        }
    }

    @Test func lifecycleChannelReportsDeterminationAndSettlement() async throws {
        try await withSim { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["market_lifecycle_v2"]}}"#)
                #expect(await eventually { frames.of("subscribed").count == 1 })
                sim.clock.advance(1_800_000)
                #expect(await eventually { frames.of("market_lifecycle_v2").contains { dict($0["msg"])["event_type"] as? String == "determined" } })
                sim.clock.advance(60_000)
                #expect(await eventually { frames.of("market_lifecycle_v2").contains { dict($0["msg"])["event_type"] as? String == "settled" } })
            }
            let msgs = frames.of("market_lifecycle_v2").map { dict($0["msg"]) }
            let determined = try #require(msgs.first { $0["event_type"] as? String == "determined" && $0["market_ticker"] as? String == atm })
            #expect(determined["result"] as? String == "yes")
            #expect(determined["settlement_value"] as? String == "1.0000")
            #expect(msgs.contains { $0["event_type"] as? String == "created" && ($0["market_ticker"] as? String)?.hasPrefix("KXBTCD-26SEP0921") == true })
        }
    }
}

@Suite struct IndexStreamTests {
    @Test func cfBenchmarksValueStreamsTheIndexAndItsSixtySecondAverage() async throws {
        try await withSim { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["cfbenchmarks_value"],"index_ids":["BRTI"]}}"#)
                #expect(await eventually { frames.of("subscribed").count == 1 })
                sim.clock.advance(3000)
                #expect(await eventually { frames.of("cfbenchmarks_value").count >= 3 })
            }
            let values = frames.of("cfbenchmarks_value")
            #expect(values.map { $0["seq"] as? Int } == Array(1...values.count).map { Optional($0) })
            let msg = dict(values.first?["msg"])
            #expect(msg["index_id"] as? String == "BRTI")
            #expect((msg["data"] as? String)?.contains(#""value":"100000.00""#) == true)
            #expect(dict(msg["avg_60s_data"])["value"] as? String == "100000.00000000")
            #expect(dict(msg["avg_60s_data"])["window_size"] as? Int == 60)
        }
    }

    @Test func multipleOrderbooksAtOnce() async throws {
        try await withSim(makers: true) { sim in
            let r = try await sim.call(.GET, "/trade-api/v2/markets/orderbooks?tickers=\(atm)&tickers=KXBTCD-26SEP0920-T100249.99", signed: false)
            #expect(r.status == 200)
            let books = list(r.json["orderbooks"])
            #expect(books.map { $0["ticker"] as? String } == [atm, "KXBTCD-26SEP0920-T100249.99"])
            #expect((dict(books.first?["orderbook_fp"])["yes_dollars"] as? [[String]])?.count == 3)
        }
    }
}
