import Foundation
import Logging
import Money
import Testing
@testable import Kalshi

@Suite("WebSocket session state")
struct StreamSessionTests {
    let market = "KXBTCD-25MAY1522-T106249.99"
    let logger = Logger(label: "test")

    func msg(_ text: String) throws -> StreamMessage { try StreamMessage.decode(Data(text.utf8)) }

    /// Commands written so far, drained from the session's writer.
    final class Outbox {
        let stream: AsyncStream<String>
        let writer: AsyncStream<String>.Continuation
        var iterator: AsyncStream<String>.Iterator
        init() {
            (stream, writer) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
            iterator = stream.makeAsyncIterator()
        }
        func drain(_ n: Int) async -> [String] {
            var out: [String] = []
            for _ in 0..<n { if let s = await iterator.next() { out.append(s) } }
            return out
        }
    }

    @Test("a gap asks for get_snapshot; if Kalshi refuses it, the subscription is renewed")
    func gapThenRenew() async throws {
        var session = Session()
        let outbox = Outbox()
        session.open(outbox.writer)
        session.send(Subscription(channel: .orderbookDelta, marketTickers: [market]), logger: logger)
        _ = session.apply(try msg(#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":7}}"#), logger: logger)
        _ = session.apply(try msg(FakeKalshiWebSocket.snapshot(seq: 1, yes: #"["0.40","1"]"#).replacingOccurrences(of: #""sid":1"#, with: #""sid":7"#)), logger: logger)
        let gap = try msg(FakeKalshiWebSocket.delta(seq: 3, price: "0.40", delta: "1").replacingOccurrences(of: #""sid":1"#, with: #""sid":7"#))
        #expect(session.apply(gap, logger: logger) == [.resnapshot(sid: 7, marketTickers: [market])])
        _ = session.apply(try msg(#"{"id":2,"type":"error","msg":{"code":13,"msg":"Unsupported action"}}"#), logger: logger)
        let sent = await outbox.drain(4)
        #expect(sent[0].contains(#""cmd":"subscribe""#))
        #expect(sent[1].contains(#""id":2"#) && sent[1].contains("get_snapshot"))
        #expect(sent[2].contains(#""cmd":"unsubscribe""#) && sent[2].contains(#""sids":[7]"#))
        #expect(sent[3].contains(#""cmd":"subscribe""#) && sent[3].contains(market))
        #expect(session.books.book(market) == nil)
    }

    @Test("market changes asked for before `subscribed` wait for the sid, then go out in order; the live subscription holds them")
    func updatesBeforeSubscribed() async throws {
        var session = Session()
        let outbox = Outbox()
        session.open(outbox.writer)
        let other = "KXBTCD-25MAY1522-T106499.99", third = "KXBTCD-25MAY1522-T106749.99"
        session.send(Subscription(channel: .orderbookDelta, marketTickers: [market]), logger: logger)
        let added = session.update(.orderbookDelta, action: "add_markets", marketTickers: [other, third], logger: logger)
        let deleted = session.update(.orderbookDelta, action: "delete_markets", marketTickers: [third], logger: logger)
        let unknown = session.update(.ticker, action: "add_markets", marketTickers: [other], logger: logger)  // never subscribed
        #expect(added && deleted && !unknown)
        _ = session.apply(try msg(#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":7}}"#), logger: logger)
        #expect(session.live[7] == Subscription(channel: .orderbookDelta, marketTickers: [market, other]))
        outbox.writer.finish()  // everything is written: draining ends instead of waiting
        let sent = await outbox.drain(4)
        try #require(sent.count == 3)
        #expect(sent[0].contains(#""cmd":"subscribe""#))
        #expect(sent[1].contains(#""id":2"#) && sent[1].contains(#""action":"add_markets""#) && sent[1].contains(#""sid":7"#)
            && sent[1].contains(other) && sent[1].contains(third))
        #expect(sent[2].contains(#""id":3"#) && sent[2].contains(#""action":"delete_markets""#) && sent[2].contains(#""sid":7"#)
            && sent[2].contains(third) && !sent[2].contains(other))
    }

    @Test("while disconnected nothing is sent; a new connection starts ids at 1")
    func disconnected() async throws {
        var session = Session()
        session.send(Subscription(channel: .ticker, marketTickers: nil), logger: logger)
        let outbox = Outbox()
        session.open(outbox.writer)
        session.send(Subscription(channel: .ticker, marketTickers: nil), logger: logger)
        let sent = await outbox.drain(1)
        #expect(sent == [#"{"cmd":"subscribe","id":1,"params":{"channels":["ticker"]}}"#])
    }
}
