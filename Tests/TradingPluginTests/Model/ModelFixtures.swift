import BusKit
import BusWire
import Foundation
import MarketWire
import Model
import Money

/// Messages and configuration shared by the model plugin's tests.
enum ModelFixtures {
    static let series = "KXBTCD"
    static func d(_ s: String) -> Dollars { Dollars(s)! }

    /// An event of 7 markets 99,249.99 … 100,749.99 closing at `close`.
    static func event(_ ticker: String = "KXBTCD-25MAY1522", close: Int64) -> MarketEventSummary {
        let markets = (0..<7).map { i in
            MarketListing(ticker: "\(ticker)-T\(99_249 + i * 250).99", floorStrike: Dollars(micros: 99_249_990_000 + Int64(i) * 250_000_000),
                          strikeType: "greater", status: "active")
        }
        return MarketEventSummary(series: series, eventTicker: ticker, closeTime: "", closeTs: close, strikeSpacing: d("250"), markets: markets)
    }

    static func book(_ market: String, event: String = "KXBTCD-25MAY1522", yesAsk: String = "0.55", volume: Int64 = 5_000) -> MarketTopOfBook {
        MarketTopOfBook(marketTicker: market, eventTicker: event, yesBid: d("0.50"), yesBidSize: Contracts(whole: 10), yesAsk: d(yesAsk),
                        yesAskSize: Contracts(whole: 10), noBid: d("0.45"), noBidSize: Contracts(whole: 10), noAsk: d("0.50"),
                        noAskSize: Contracts(whole: 10), volume: Contracts(whole: volume), time: "")
    }

    static func tick(_ price: String) -> BTCTick {
        BTCTick(product: "BTC-USD", price: d(price), bestBid: d(price), bestAsk: d(price), time: "", tradeID: 1, source: "coinbase")
    }

    static func momentum(_ x100: Int) -> BTCMomentum {
        BTCMomentum(product: "BTC-USD", price: d("100000"), time: "", score: nil, scoreX100: x100, deltas: [:])
    }

    static func configuration(_ section: String) throws -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "test.conf", text: "[plugin.model]\n" + section), pluginKeys: ["model": ModelPlugin.configKeys])
    }
}
