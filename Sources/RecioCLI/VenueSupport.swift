import ArgumentParser
import BusKit
import Foundation
import Kalshi

/// Where a terminal command finds Kalshi: the REST root and the credentials folder of a mode.
struct VenueOptions: ParsableArguments {
    @Option(help: "Kalshi's REST root (default: the mode's).") var restURL: String?
    @Option(help: "The credentials folder (default $RECIO_HOME/credentials/<mode>).") var credentials: String?

    /// The credentials folder for `mode`.
    func credentialsFolder(mode: String) -> URL {
        URL(fileURLWithPath: credentials ?? Credentials.folder(home: URL(fileURLWithPath: ProcInfo.recioHome), mode: mode).path)
    }

    /// The REST root for `mode`.
    func restRoot(mode: String) throws -> URL {
        guard let url = URL(string: restURL ?? KalshiEndpoints.rest(mode: mode).absoluteString) else {
            throw ValidationError("--rest-url \(restURL ?? "") is not a URL")
        }
        return url
    }

    /// A signed REST client for `mode`.
    func client(mode: String) throws -> KalshiRESTClient {
        KalshiRESTClient(configuration: KalshiConfiguration(baseURL: try restRoot(mode: mode)),
                         credentials: try Credentials.load(from: credentialsFolder(mode: mode)))
    }
}

/// Left-aligned columns, two spaces apart.
func table(_ rows: [[String]]) -> String {
    guard let width = rows.map(\.count).max() else { return "" }
    let widths = (0..<width).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}
