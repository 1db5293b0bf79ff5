import BusKit
import BusWire
import ServiceLifecycle

/// Answers round-trip probes: every `sys.ping.<name>` comes back on `sys.pong.<requester>` with the same id
/// and send time. `recio ping` and `recio bench bus` use it to measure latency through the bus, from any host.
public struct Pong: Plugin {
    public static let name = "pong"
    public static let configKeys: Set<String> = []
    let context: PluginContext

    public init(context: PluginContext) throws { self.context = context }

    public func run() async throws {
        let bus = context.bus
        for await message in bus.subscribe([.pings(target: Self.name)]).cancelOnGracefulShutdown() {
            let ping: Ping
            do { ping = try message.decode(Ping.self) } catch {
                context.health.rejected(topic: message.topic, reason: "\(error)")
                continue
            }
            try? bus.publish(.pong(requester: ping.requester), ping)
        }
    }
}
