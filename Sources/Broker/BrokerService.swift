import BusKit
import Logging
import ServiceLifecycle

/// Runs a ``Broker`` on its own thread as a lifecycle service: graceful shutdown stops the proxy, which forwards
/// what is queued before the service returns.
public struct BrokerService: Service {
    let broker: Broker

    public init(broker: Broker) { self.broker = broker }

    public func run() async throws {
        let broker = self.broker
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                _ = OSThread(name: "broker") {
                    broker.run()
                    done.resume()
                }
            }
        } onGracefulShutdown: {
            broker.stop()
        }
    }
}
