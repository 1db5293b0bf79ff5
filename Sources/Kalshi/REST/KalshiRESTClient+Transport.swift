import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension KalshiRESTClient {
    /// Largest response body read.
    static let maxBody = 32 * 1024 * 1024

    /// One attempt: signs, sends over AsyncHTTPClient and reads the whole body. Failures become ``KalshiError``.
    func perform(_ call: Call) async throws -> (status: Int, body: Data) {
        let signedPath = configuration.basePath + call.path
        var components = URLComponents()
        components.queryItems = call.query.isEmpty ? nil : call.query
        // '+' is a space to some servers; Kalshi's values never need it, so encode it explicitly.
        let query = components.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? ""
        let root = configuration.baseURL.absoluteString.hasSuffix("/")
            ? String(configuration.baseURL.absoluteString.dropLast()) : configuration.baseURL.absoluteString

        var request = HTTPClientRequest(url: root + call.path + query)
        request.method = HTTPMethod(rawValue: call.method)
        request.headers.add(name: "Accept", value: "application/json")
        if let credentials {
            for header in try credentials.signer.headers(method: call.method, path: signedPath, timestampMs: epochMilliseconds()) {
                request.headers.add(name: header.name, value: header.value)
            }
        }
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let timeout = TimeAmount.nanoseconds(Int64(configuration.requestTimeout.components.seconds) * 1_000_000_000
                + configuration.requestTimeout.components.attoseconds / 1_000_000_000)
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            let buffer = try await response.body.collect(upTo: Self.maxBody)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch let error as KalshiError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.classify(error, method: call.method, path: call.path)
        }
    }

    /// Maps an AsyncHTTPClient or NIO failure to a timeout or a transport error.
    static func classify(_ error: any Error, method: String, path: String) -> KalshiError {
        if let e = error as? HTTPClientError,
            [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(e)
        {
            return KalshiError(.timeout, message: "\(method) \(path) timed out (\(e))")
        }
        return KalshiError(.transport, message: "\(method) \(path) failed: \(error)")
    }
}
