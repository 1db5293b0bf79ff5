import Money

/// One Coinbase candle: `[time, low, high, open, close, volume]` on the wire.
public struct CoinbaseCandle: Sendable, Hashable {
    /// Start of the bucket, Unix seconds.
    public var start: Int64
    public var low: Dollars
    public var high: Dollars
    public var open: Dollars
    public var close: Dollars
    /// Base-asset volume exactly as sent (a quantity, not money).
    public var volume: String

    public init(start: Int64, low: Dollars, high: Dollars, open: Dollars, close: Dollars, volume: String) {
        self.start = start; self.low = low; self.high = high; self.open = open; self.close = close; self.volume = volume
    }
}

/// Reads the candles body, an array of number arrays, keeping every number's exact text: JSON numbers never pass
/// through a binary float on their way to ``Dollars``.
public enum CandlesBody {
    /// The candles in `text`, in the order sent (Coinbase sends newest first).
    /// - Throws: ``CoinbaseError`` (`.malformed`) for anything else, such as an error object.
    public static func parse(_ text: String) throws(CoinbaseError) -> [CoinbaseCandle] {
        var rows: [[Substring]] = []
        var row: [Substring]?
        var depth = 0
        var i = text.startIndex
        func fail(_ why: String) -> CoinbaseError { CoinbaseError(.malformed, "candles body: \(why): \(text.prefix(120))") }
        while i < text.endIndex {
            let c = text[i]
            switch c {
            case "[":
                depth += 1
                if depth == 2 { row = [] } else if depth > 2 { throw fail("nested too deep") }
                i = text.index(after: i)
            case "]":
                if depth == 2, let r = row { rows.append(r); row = nil }
                depth -= 1
                if depth < 0 { throw fail("unbalanced") }
                i = text.index(after: i)
            case ",", " ", "\n", "\r", "\t":
                i = text.index(after: i)
            case "-", "0"..."9":
                guard depth == 2 else { throw fail("number outside a candle") }
                let start = i
                while i < text.endIndex, "0123456789.-+eE".contains(text[i]) { i = text.index(after: i) }
                row?.append(text[start..<i])
            default:
                throw fail("unexpected '\(c)'")
            }
        }
        guard depth == 0 else { throw fail("unbalanced") }
        return try rows.map { r throws(CoinbaseError) in
            guard r.count >= 6, let t = Int64(r[0]) else { throw fail("a candle needs [time, low, high, open, close, volume]") }
            func price(_ s: Substring) throws(CoinbaseError) -> Dollars {
                guard let d = Dollars(s) else { throw fail("not an exact price: \(s)") }
                return d
            }
            return CoinbaseCandle(start: t, low: try price(r[1]), high: try price(r[2]), open: try price(r[3]),
                                  close: try price(r[4]), volume: String(r[5]))
        }
    }
}

/// Writes candles in the data folder's format (`ts,open,high,low,close,volume`, oldest first, trailing zeros
/// dropped), so that ``PriceSim``'s replay reads a downloaded file like the shipped ones.
public enum CandleCSVWriter {
    /// The header line.
    public static let header = "ts,open,high,low,close,volume"

    /// One CSV line (no newline).
    public static func line(_ c: CoinbaseCandle) -> String {
        [String(c.start), plain(c.open), plain(c.high), plain(c.low), plain(c.close), c.volume].joined(separator: ",")
    }

    /// The whole file.
    public static func text(_ candles: [CoinbaseCandle]) -> String {
        ([header] + candles.sorted { $0.start < $1.start }.map(line)).joined(separator: "\n") + "\n"
    }

    /// `104123.450000` → `104123.45`, `102228.000000` → `102228`.
    static func plain(_ d: Dollars) -> String {
        var s = d.description
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
