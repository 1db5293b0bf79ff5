import BusKit
import BusWire
import Money
import PriceFeed
import Testing

@Suite("price-feed decisions (pure)")
struct PriceFeedPureTests {
    @Test("momentum is the weighted mean of the percent changes that exist")
    func momentum() {
        var history = PriceHistory()
        history.record(second: 0, price: Dollars("100")!)        // 30 min and 15 min before 1800
        history.record(second: 1_740, price: Dollars("100")!)    // 1 min before
        let only1m = Momentum.compute(price: Dollars("101")!, second: 1_800) { $0 >= 1_740 ? history.price(atOrBefore: $0) : nil }
        #expect(only1m.deltas == ["1m": 1.0])
        #expect(only1m.score == 1.0)
        let all = Momentum.compute(price: Dollars("101")!, second: 1_800) { history.price(atOrBefore: $0) }
        #expect(all.deltas.count == 6)
        #expect(all.score == 1.0)
        #expect(Momentum.compute(price: Dollars("1")!, second: 10) { _ in nil }.score == nil)
        #expect(Momentum.decimal(-0.0123456) == "-0.012346" && Momentum.decimal(0.06) == "0.060000")
    }

    @Test("the history keeps each second's last price, answers at-or-before, and prunes")
    func history() {
        var h = PriceHistory()
        let changes = [h.record(second: 10, price: Dollars("1")!), h.record(second: 10, price: Dollars("2")!),
                       h.record(second: 10, price: Dollars("2")!), h.record(second: 9, price: Dollars("3")!)]
        #expect(changes == [true, true, false, false])
        h.record(second: 20, price: Dollars("4")!)
        #expect(h.price(atOrBefore: 15) == Dollars("2") && h.price(atOrBefore: 9) == nil && h.price(atOrBefore: 99) == Dollars("4"))
        h.prune(before: 11)
        #expect(h.points.map(\.second) == [20])
    }

    @Test("staleness: degraded before the first tick and after stale_after")
    func staleness() {
        let t = BusTime(seconds: 100)
        #expect(Staleness.judge(lastTick: nil, now: t, staleAfter: 5).0 == .degraded)
        #expect(Staleness.judge(lastTick: t, now: t.adding(seconds: 4.9), staleAfter: 5).0 == .running)
        let (state, note) = Staleness.judge(lastTick: t, now: t.adding(seconds: 7), staleAfter: 5)
        #expect(state == .degraded && note == "BTC price stale: no tick for 7.0 s")
    }

    @Test("configuration errors name the file, line and key")
    func configErrors() throws {
        let text = "[plugin.price-feed]\nurl = http://example.com\nhistory_window = soon\n"
        let config = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["price-feed": PriceFeedSettings.keys])
        #expect {
            try PriceFeedSettings(configuration: config, home: "/tmp")
        } throws: { error in
            let d = "\(error)"
            return d.contains("test.conf:2: key 'plugin.price-feed.url'") && d.contains("test.conf:3: key 'plugin.price-feed.history_window'")
        }
        let unknown = "[plugin.price-feed]\ncolour = red\n"
        #expect {
            try BusConfiguration(file: ConfigFile(path: "test.conf", text: unknown), pluginKeys: ["price-feed": PriceFeedSettings.keys])
        } throws: { "\($0)".contains("test.conf:2: key 'plugin.price-feed.colour': unknown key") }
        let defaults = try PriceFeedSettings(
            configuration: BusConfiguration(file: ConfigFile(path: "t.conf", text: ""), pluginKeys: ["price-feed": PriceFeedSettings.keys]),
            home: "/data")
        #expect(defaults.database == "/data/sim/price-feed.sqlite" && defaults.url == PriceFeedSettings.simulatorURL)
        let prod = try PriceFeedSettings(
            configuration: BusConfiguration(file: ConfigFile(path: "t.conf", text: "[bus]\nmode = paper\n"), pluginKeys: ["price-feed": PriceFeedSettings.keys]),
            home: "/data")
        #expect(prod.url == "wss://ws-feed.exchange.coinbase.com")
    }
}
