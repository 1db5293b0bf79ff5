import Testing
import ZeroMQ

@Suite("ZeroMQ wrapper against real libzmq")
struct ZeroMQTests {
    @Test("libzmq is 4.x")
    func version() { #expect(Context.version.0 == 4) }

    @Test("multi-frame messages arrive whole over inproc PAIR")
    func multiFrame() throws {
        let ctx = Context()
        let a = try Socket(ctx, .pair), b = try Socket(ctx, .pair)
        try a.bind("inproc://mf")
        try b.connect("inproc://mf")
        #expect(try a.send(frames: [Array("topic".utf8), [], Array(repeating: 7, count: 100_000)]))
        let frames = try #require(try b.receiveFrames())
        #expect(frames.count == 3)
        #expect(frames[0] == Array("topic".utf8))
        #expect(frames[1].isEmpty)
        #expect(frames[2].count == 100_000)
    }

    @Test("non-blocking receive on an empty socket reports would-block as nil")
    func wouldBlock() throws {
        let ctx = Context()
        let s = try Socket(ctx, .pull)
        try s.bind("inproc://empty")
        #expect(try s.receiveFrames(dontWait: true) == nil)
        let m = Message()
        #expect(try m.receive(from: s, dontWait: true) == false)
    }

    @Test("bad endpoints throw an error naming the operation")
    func badEndpoint() throws {
        let s = try Socket(Context(), .pub)
        do {
            try s.bind("nonsense://x")
            Issue.record("expected a failure")
        } catch {
            #expect(error.operation == "bind nonsense://x")
        }
    }

    @Test("binding to port * resolves to a real port")
    func ephemeralPort() throws {
        let s = try Socket(Context(), .pub)
        try s.bind("tcp://127.0.0.1:*")
        #expect(s.lastEndpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(!s.lastEndpoint.hasSuffix(":*"))
    }

    @Test("a message copy shares content and survives the original being sent")
    func messageCopy() throws {
        let ctx = Context()
        let a = try Socket(ctx, .pair), b = try Socket(ctx, .pair)
        try a.bind("inproc://copy")
        try b.connect("inproc://copy")
        let original = Message(bytes: Array(repeating: 1, count: 64))
        let copy = Message()
        copy.copy(from: original)
        #expect(try original.send(to: a, more: false))
        #expect(copy.count == 64)
        #expect(try copy.send(to: a, more: false))
        #expect(try b.receiveFrames()?.first?.count == 64)
        #expect(try b.receiveFrames()?.first?.count == 64)
    }

    @Test("poll reports readiness by index")
    func poll() throws {
        let ctx = Context()
        let a = try Socket(ctx, .pair), b = try Socket(ctx, .pair)
        try a.bind("inproc://poll")
        try b.connect("inproc://poll")
        var poller = Poller([b])
        #expect(try poller.poll(timeoutMs: 0) == [false])
        try a.send([1])
        #expect(try poller.poll(timeoutMs: 1000) == [true])
    }
}
