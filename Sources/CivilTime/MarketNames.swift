/// The parts of a Kalshi market ticker (`KXBTCD-26SEP0920-T99999.99`): its series, its event and the event's close,
/// derived from the text alone, so an intent's event and series are facts of its ticker rather than what the
/// sender wrote beside it.
public enum MarketNames {
    /// A market ticker's parts.
    public struct Parts: Sendable, Hashable {
        /// `KXBTCD`.
        public var series: String
        /// `KXBTCD-26SEP0920`.
        public var event: String
        /// The event's close in Unix seconds.
        public var closeTs: Int64
    }

    /// The parts of `ticker`, or nil when it is not `SERIES-YYMMMDDHH-<market>` with a valid hourly event code.
    public static func parse(_ ticker: String) -> Parts? {
        guard let last = ticker.lastIndex(of: "-"), ticker.index(after: last) < ticker.endIndex else { return nil }
        let event = String(ticker[..<last])
        guard let dash = event.lastIndex(of: "-"), dash > event.startIndex, let close = EasternTime.closeTs(eventTicker: event),
            EasternTime.eventCode(closeSecond: close) == event[event.index(after: dash)...]
        else { return nil }
        return Parts(series: String(event[..<dash]), event: event, closeTs: close)
    }
}
