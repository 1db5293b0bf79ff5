import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// Appends entries to a tape file, flushing at least every `flushEvery` entries so a killed recorder loses little.
public final class TapeWriter {
    private let file: UnsafeMutablePointer<FILE>
    private let flushEvery: Int
    private var pending = 0
    /// Entries written.
    public private(set) var count = 0

    /// Creates (truncates) `path` and writes the header.
    public init(path: String, filters: [TopicFilter], created: BusTime, flushEvery: Int = 100) throws(ToolError) {
        guard let f = fopen(path, "wb") else { throw ToolError("cannot create \(path): \(String(cString: strerror(errno)))") }
        file = f
        self.flushEvery = flushEvery
        put(Tape.header(created: created, filters: filters))
        fflush(file)
    }

    deinit { fclose(file) }

    /// Appends one entry.
    public func append(_ entry: Tape.Entry) {
        put(Tape.line(entry))
        count += 1
        pending += 1
        if pending >= flushEvery { flush() }
    }

    /// Pushes buffered lines to the file.
    public func flush() {
        fflush(file)
        pending = 0
    }

    private func put(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } }
}
