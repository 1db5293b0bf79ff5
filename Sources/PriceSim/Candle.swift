import CZlib
import Money

/// One OHLC bar, as in the candle files of the data folder (`ts,open,high,low,close,volume[,...]`).
public struct Candle: Sendable, Hashable {
    /// Start of the bar, Unix seconds (UTC).
    public var start: Int64
    public var open: Dollars
    public var high: Dollars
    public var low: Dollars
    public var close: Dollars
    /// Base-asset volume as the provider wrote it (a quantity of BTC, not money).
    public var volume: String

    public init(start: Int64, open: Dollars, high: Dollars, low: Dollars, close: Dollars, volume: String = "0") {
        self.start = start; self.open = open; self.high = high; self.low = low; self.close = close; self.volume = volume
    }
}

/// Reads candle CSV files, plain or gzip-compressed (`.gz` is detected from the content, not the name).
public enum CandleCSV {
    /// Every candle of `path`, in file order. The header names the columns; `ts,open,high,low,close` are required.
    /// - Throws: ``PriceSimError`` naming the file and line of the first bad row.
    public static func read(path: String) throws(PriceSimError) -> [Candle] {
        let text = try readText(path)
        var candles: [Candle] = []
        var columns: [Substring: Int] = [:]
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let row = line.hasSuffix("\r") ? line.dropLast() : line
            if row.isEmpty { continue }
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            if columns.isEmpty {
                for (i, name) in fields.enumerated() { columns[name] = i }
                guard ["ts", "open", "high", "low", "close"].allSatisfy({ columns[Substring($0)] != nil }) else {
                    throw PriceSimError("\(path):\(lineNumber): header must name ts,open,high,low,close")
                }
                continue
            }
            func field(_ name: Substring) -> Substring? { columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } }
            guard let ts = field("ts").flatMap({ Int64($0) }),
                  let o = field("open").flatMap({ Dollars($0) }), let h = field("high").flatMap({ Dollars($0) }),
                  let l = field("low").flatMap({ Dollars($0) }), let c = field("close").flatMap({ Dollars($0) })
            else { throw PriceSimError("\(path):\(lineNumber): not a candle row: '\(row)'") }
            candles.append(Candle(start: ts, open: o, high: h, low: l, close: c, volume: String(field("volume") ?? "0")))
        }
        return candles
    }

    /// The whole file as text; zlib reads gzip and plain files alike.
    static func readText(_ path: String) throws(PriceSimError) -> String {
        guard let file = gzopen(path, "rb") else { throw PriceSimError("\(path): cannot open") }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw PriceSimError("\(path): read error (corrupt gzip?)") }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<Int(n)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
