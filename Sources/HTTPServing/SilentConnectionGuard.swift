public import Hummingbird
public import HummingbirdCore
public import HummingbirdWebSocket
public import NIOCore
import Logging

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades (as `http1WebSocketUpgrade(webSocketRouter:configuration:)`), where a connection
    /// that sends nothing is closed after `silenceLimit` (longer than clients keep an unused connection: they close
    /// it first), and at once when the server shuts down.
    ///
    /// Hummingbird's upgrade channel waits for a connection's first request before any of its handlers (idle timeout,
    /// graceful shutdown) is installed, and the server's shutdown waits for every connection. HTTP clients open
    /// connections ahead of need and may keep one unused for minutes (AsyncHTTPClient's shared pool: ten minutes), so
    /// one such connection held a server's shutdown that long.
    public static func guardedWebSocketUpgrade<Router: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Router, configuration: HTTP1WebSocketUpgradeChannel.Configuration = .init(),
        silenceLimit: TimeAmount = .seconds(120)
    ) -> HTTPServerBuilder where Router.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            SilentConnectionGuard(
                base: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                silenceLimit: silenceLimit)
        }
    }
}

/// A child channel that puts a ``SilenceHandler`` in front of `base`'s pipeline.
struct SilentConnectionGuard<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let silenceLimit: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        let limit = silenceLimit
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(SilenceHandler(limit: limit), position: .first)
        }.flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Closes its connection when no byte arrived within `limit` or when the server quiesces before the first byte;
/// removes itself once the first byte has arrived.
final class SilenceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timer?.cancel()
        timer = nil
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            Self.close(context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: limit) { Self.close(loopBound.value) }
    }

    /// Closes the input first, so the upgrade handler waiting for a request ends with "input closed" (which
    /// Hummingbird expects and does not log as an error), then the connection.
    private static func close(_ context: ChannelHandlerContext) {
        context.close(mode: .input, promise: nil)
        context.close(promise: nil)
    }
}
