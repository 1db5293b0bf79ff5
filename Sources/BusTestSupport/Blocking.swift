import BusKit

/// Runs blocking work (waiting for a child process, joining a thread) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core, two on a small CI machine: a test that blocks one of them
/// starves every other test that runs at the same time. Tests that must block hand the work here instead.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        OSThread(name: "test-blocking") { continuation.resume(with: Result { try body() }) }.detach()
    }
}

/// Evaluates `condition` every `interval` until it holds, at most `attempts` times, sleeping without holding a
/// thread. The limit only keeps a broken test from hanging; no test asserts on elapsed time.
public func eventually(attempts: Int = 600, every interval: Duration = .milliseconds(50),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    for _ in 0..<attempts {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return false
}
