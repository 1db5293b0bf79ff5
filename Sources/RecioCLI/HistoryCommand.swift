import ArgumentParser
import BusWire
import CZlib
import Coinbase
#if canImport(Glibc)
import Glibc
#endif

/// `recio history`: historical data downloads.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Download historical BTC data.", subcommands: [HistoryFetchCommand.self])
}

/// `recio history fetch --from … --to … --out FILE`: Coinbase candles into a CSV file in the data folder's format
/// (`ts,open,high,low,close,volume`; gzip when FILE ends in `.gz`), which `PriceSim`'s replay reads.
struct HistoryFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Fetch Coinbase candles for a time range into a CSV file.")

    @Option(help: "Start (inclusive): RFC 3339 (2025-05-01T00:00:00Z), a date (2025-05-01) or Unix seconds.")
    var from: String

    @Option(help: "End (exclusive), in the same forms.")
    var to: String

    @Option(help: "The file to write; .gz compresses it.")
    var out: String

    @Option(help: "The Coinbase Exchange REST base URL.")
    var url: String = "https://api.exchange.coinbase.com"

    @Option(help: "The product.")
    var product: String = "BTC-USD"

    @Option(help: "Seconds per candle: 60, 300, 900, 3600, 21600 or 86400.")
    var granularity: Int64 = 60

    func run() async throws {
        guard let start = Self.time(from) else { throw ValidationError("--from: not a time: '\(from)'") }
        guard let end = Self.time(to) else { throw ValidationError("--to: not a time: '\(to)'") }
        guard start < end else { throw ValidationError("--from must be before --to") }
        let client = CandlesClient(configuration: .init(baseURL: url, productID: product, granularity: granularity))
        let partial = out + ".partial"
        guard let file = gzopen(partial, out.hasSuffix(".gz") ? "wb" : "wbT") else {
            throw ValidationError("cannot write \(partial)")
        }
        var count = 0
        var ok = false
        defer {
            gzclose(file)
            if ok { rename(partial, out) } else { unlink(partial) }
        }
        try Self.write(CandleCSVWriter.header + "\n", to: file)
        try await client.pages(from: start, to: end) { page in
            try Self.write(page.map { CandleCSVWriter.line($0) + "\n" }.joined(), to: file)
            count += page.count
            print("\r\(count) candles", terminator: "")
        }
        ok = true
        print("\r\(count) candles written to \(out)")
    }

    static func write(_ text: String, to file: gzFile) throws {
        var bytes = Array(text.utf8)
        guard bytes.isEmpty || gzwrite(file, &bytes, UInt32(bytes.count)) == Int32(bytes.count) else {
            throw ValidationError("write failed")
        }
    }

    /// Unix seconds from RFC 3339, a bare date or a number.
    static func time(_ text: String) -> Int64? {
        if let n = Int64(text) { return n }
        let full = text.count == 10 ? text + "T00:00:00Z" : text
        return BusTime(rfc3339: Array(full.utf8)).map { $0.microseconds / 1_000_000 }
    }
}
