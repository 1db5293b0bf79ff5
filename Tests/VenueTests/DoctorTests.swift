import Kalshi
import Money
import Testing

/// `recio doctor`'s venue checks, each made for real against the simulator.
@Suite("Doctor: the venue checks against the simulator")
struct VenueDoctorTests {
    @Test("every check runs: endpoint, clock skew from Date, status and hours, signed balance on shard 2, tier, orders, positions")
    func allChecks() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            _ = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 1),
                                                              clientOrderId: "by-hand-1"))
            let checks = await VenueDoctor(rest: rest, series: "KXBTCD").run()
            let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0.name, $0) })
            #expect(checks.map(\.name) == ["endpoint", "clock", "exchange", "trading hours", "credentials", "rate limits", "orders", "positions"])
            #expect(byName["endpoint"]?.status == .pass)
            // The test signs with a clock frozen in September 2026; the server's Date header is this machine's time.
            #expect(byName["clock"]?.status == .fail && byName["clock"]?.fix.contains("sync") == true)
            #expect(byName["exchange"]?.status == .pass && byName["exchange"]?.detail.contains("shard 2") == true)
            #expect(byName["trading hours"]?.status == .pass)
            #expect(byName["credentials"]?.status == .pass && byName["credentials"]?.detail.contains("on shard 2") == true)
            #expect(byName["rate limits"]?.status == .pass && byName["rate limits"]?.detail.contains("tier basic") == true)
            #expect(byName["orders"]?.status == .warn && byName["orders"]?.detail.contains("1 placed otherwise") == true)
            #expect(byName["positions"]?.status == .pass)
        }
    }

    @Test("cash on another shard only: the balance check fails and says how to move it")
    func cashElsewhere() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let all = try await rest.balance().available
            _ = try await rest.transferBetweenShards(all, from: 2, to: 0)
            let check = await VenueDoctor(rest: rest, series: "KXBTCD").run().first { $0.name == "credentials" }
            #expect(check?.status == .fail && check?.fix.contains("shard 2") == true)
        }
    }

    @Test("nothing listening: one failing endpoint check naming what to do")
    func unreachable() async throws {
        var configuration = KalshiConfiguration.simulator(port: 9)
        configuration.retry = RetryPolicy(maxAttempts: 1)
        let checks = await VenueDoctor(rest: KalshiRESTClient(configuration: configuration), series: "KXBTCD").run()
        #expect(checks.map(\.name) == ["endpoint"] && checks.first?.status == .fail)
    }
}
