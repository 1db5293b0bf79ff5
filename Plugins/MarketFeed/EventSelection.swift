import BusWire
public import Foundation
public import Kalshi
public import MarketWire
import Money

/// Which events of a series the feed follows, and how it summarises them. Pure: the clock's reading is passed in.
public enum EventSelection {
    /// Market statuses of an event still worth following (listed or trading).
    static let live: Set<MarketStatus> = [.initialized, .active, .inactive]

    /// The close instant of an event: its markets' earliest `close_time`, else the one its ticker names, else its
    /// `strike_date`.
    public static func closeTime(of event: Event) -> Date? {
        event.markets?.compactMap(\.closeTime).min() ?? EventNaming.closeTime(eventTicker: event.eventTicker) ?? event.strikeDate
    }

    /// The `count` events of `series` closing soonest after `now` that still have a listed or trading market:
    /// the current hour, then the next. When none closes after `now` (a simulator whose clock is elsewhere) the
    /// live events are taken as they are, earliest close first.
    public static func select(_ events: [Event], series: String, now: Date, count: Int = 2) -> [Event] {
        var seen: Set<String> = []
        let candidates = events.filter { e in
            let inSeries = e.seriesTicker.map { $0 == series } ?? e.eventTicker.hasPrefix(series + "-")
            let isLive = (e.markets ?? []).contains { $0.status.map(live.contains) ?? true }
            return inSeries && isLive && closeTime(of: e) != nil && seen.insert(e.eventTicker).inserted
        }
        .sorted { (closeTime(of: $0)!, $0.eventTicker) < (closeTime(of: $1)!, $1.eventTicker) }
        let ahead = candidates.filter { closeTime(of: $0)! > now }
        return Array((ahead.isEmpty ? candidates : ahead).prefix(count))
    }

    /// The bus summary of an event: close time, strike spacing derived from its markets, markets by strike.
    public static func summary(of event: Event, series: String) -> MarketEventSummary {
        let close = closeTime(of: event) ?? Date(timeIntervalSince1970: 0)
        let markets = (event.markets ?? []).sorted {
            ($0.floorStrike ?? Dollars(micros: .min), $0.ticker) < ($1.floorStrike ?? Dollars(micros: .min), $1.ticker)
        }
        let closeTs = Int64(close.timeIntervalSince1970.rounded(.down))
        return MarketEventSummary(
            series: series, eventTicker: event.eventTicker, closeTime: BusTime(seconds: closeTs).description, closeTs: closeTs,
            strikeSpacing: EventNaming.strikeSpacing(of: markets),
            markets: markets.map { MarketListing(ticker: $0.ticker, floorStrike: $0.floorStrike, strikeType: $0.strikeType?.rawValue,
                                                  status: $0.status?.rawValue) })
    }
}

/// Top of book from a WebSocket book. Pure.
public enum TopOfBookBuilder {
    /// The top-of-book message of `book`, with the last price and volume from the `ticker` channel.
    public static func make(marketTicker: String, eventTicker: String, book: OrderBook, lastPrice: Dollars?, volume: Contracts?,
                            time: BusTime) -> MarketTopOfBook {
        let yesBid = book.bestYesBid, yesAsk = book.bestYesAsk, noBid = book.bestNoBid, noAsk = book.bestNoAsk
        return MarketTopOfBook(
            marketTicker: marketTicker, eventTicker: eventTicker, yesBid: yesBid?.price, yesBidSize: yesBid?.count,
            yesAsk: yesAsk?.price, yesAskSize: yesAsk?.count, noBid: noBid?.price, noBidSize: noBid?.count,
            noAsk: noAsk?.price, noAskSize: noAsk?.count, lastPrice: lastPrice, volume: volume, time: time.description)
    }
}
