/// One row of `kalshi_kxbtcd_orderbook_*.csv.gz` (see `../shared/data/README.md`), integers as recorded.
///
/// Prices are cents, quantities whole contracts. `bid*` is the recorder's best YES bid, `ask*` its best YES ask
/// with the count of the NO bid behind it (`yes_ask_qty_on_no_side`); an empty price (count 0) is an empty side.
struct RecordedOrderBookRow {
    var ticker: String
    var isSnapshot: Bool
    var bidCents: Int?
    var bidQty: Int
    var askCents: Int?
    var askQty: Int
    var seq: Int
    /// DELTA rows only: `yes` or `no` (the NO leg, in NO-leg price).
    var deltaIsYes: Bool
    var deltaCents: Int
    var deltaQty: Int
}

/// A byte-level reader of the recorded order-book CSV: fast enough for 416k rows in a debug build.
enum RecordedOrderBookFile {
    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    static let columns = [
        "market_ticker", "type", "yes_bid_price_cents", "yes_bid_qty", "yes_ask_price_cents", "yes_ask_qty_on_no_side",
        "sequence_num", "delta_side", "delta_price_cents", "delta_quantity",
    ]

    /// Calls `body` with every data row in file order.
    static func forEachRow(_ bytes: [UInt8], _ body: (RecordedOrderBookRow) throws -> Void) throws {
        try bytes.withUnsafeBufferPointer { buf in
            var lineStart = 0
            var index: [Int] = []  // position of each of `columns` in a row
            var fields: [Range<Int>] = []
            fields.reserveCapacity(16)
            var lineNumber = 0
            while lineStart < buf.count {
                var end = lineStart
                while end < buf.count && buf[end] != 10 { end += 1 }
                defer { lineStart = end + 1 }
                var lineEnd = end
                if lineEnd > lineStart && buf[lineEnd - 1] == 13 { lineEnd -= 1 }
                lineNumber += 1
                if lineEnd == lineStart { continue }
                fields.removeAll(keepingCapacity: true)
                var f = lineStart
                for i in lineStart..<lineEnd where buf[i] == 44 {
                    fields.append(f..<i)
                    f = i + 1
                }
                fields.append(f..<lineEnd)
                if index.isEmpty {
                    let names = fields.map { String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self) }
                    index = try columns.map { c in
                        guard let i = names.firstIndex(of: c) else { throw FormatError(description: "no column \(c)") }
                        return i
                    }
                    continue
                }
                guard fields.count > index.max()! else { throw FormatError(description: "line \(lineNumber): too few fields") }
                func int(_ column: Int) throws -> Int? {
                    let r = fields[index[column]]
                    if r.isEmpty { return nil }
                    var i = r.lowerBound
                    let negative = buf[i] == 45
                    if negative { i += 1 }
                    guard i < r.upperBound else { throw FormatError(description: "line \(lineNumber): bad number") }
                    var v = 0
                    while i < r.upperBound {
                        let d = Int(buf[i]) - 48
                        guard d >= 0 && d <= 9 else { throw FormatError(description: "line \(lineNumber): bad number") }
                        v = v * 10 + d
                        i += 1
                    }
                    return negative ? -v : v
                }
                let type = fields[index[1]]
                let side = fields[index[7]]
                guard let kind = type.first.map({ buf[$0] }), kind == UInt8(ascii: "S") || kind == UInt8(ascii: "D"),
                      kind == UInt8(ascii: "S") || !side.isEmpty
                else { throw FormatError(description: "line \(lineNumber): not a SNAPSHOT or DELTA row") }
                let row = RecordedOrderBookRow(
                    ticker: String(decoding: UnsafeBufferPointer(rebasing: buf[fields[index[0]]]), as: UTF8.self),
                    isSnapshot: kind == UInt8(ascii: "S"),
                    bidCents: try int(2), bidQty: try int(3) ?? 0,
                    askCents: try int(4), askQty: try int(5) ?? 0,
                    seq: try int(6) ?? -1,
                    deltaIsYes: !side.isEmpty && buf[side.lowerBound] == UInt8(ascii: "y"),
                    deltaCents: try int(8) ?? 0, deltaQty: try int(9) ?? 0)
                try body(row)
            }
        }
    }
}
