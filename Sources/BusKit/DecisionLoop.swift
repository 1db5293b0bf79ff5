import BusWire
import ServiceLifecycle

/// One input of a plugin's decision loop: a bus message, or the loop's timer firing.
public enum LoopInput: Sendable {
    case message(Envelope)
    case timer
}

extension PluginContext {
    /// Runs a plugin's one decision loop: every message matching `filters` and a `.timer` each time `nextDelay()`
    /// seconds of the plugin's clock have passed, merged into one stream in arrival order, so that the state machine
    /// `consume` owns sees one input at a time. Returns when `consume` does, or on cancellation or graceful shutdown.
    public func runLoop(subscribing filters: [TopicFilter], nextDelay: @escaping @Sendable () -> Double,
                        _ consume: @escaping @Sendable (AsyncStream<LoopInput>) async -> Void) async {
        await runLoop(bus.subscribe(filters), nextDelay: nextDelay, consume)
    }

    /// The same over a subscription made earlier (what arrives meanwhile waits in it), for a plugin that must
    /// subscribe before it loads its state.
    public func runLoop(_ subscription: Subscription, nextDelay: @escaping @Sendable () -> Double,
                        _ consume: @escaping @Sendable (AsyncStream<LoopInput>) async -> Void) async {
        let clock = self.clock
        let (inputs, feed) = AsyncStream.makeStream(of: LoopInput.self)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await e in subscription { feed.yield(.message(e)) }
                    feed.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(seconds: nextDelay()) } catch { break }
                        feed.yield(.timer)
                    }
                }
                await consume(inputs)
                group.cancelAll()
            }
        }
        feed.finish()
    }
}
