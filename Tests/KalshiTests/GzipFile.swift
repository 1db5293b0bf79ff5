import CZlib

/// Reads a whole file, gzip-compressed or plain (zlib tells them apart by content), into bytes.
enum GzipFile {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let file = gzopen(path, "rb") else { throw ReadError(description: "\(path): cannot open") }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw ReadError(description: "\(path): read error (corrupt gzip?)") }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<Int(n)])
        }
        return bytes
    }
}
