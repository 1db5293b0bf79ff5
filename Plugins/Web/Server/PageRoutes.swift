import Hummingbird
import Money
import NIOCore

/// The four pages, and their stylesheet and scripts as files under `/assets/` (no inline script or style, so the
/// Content-Security-Policy allows only `'self'`).
extension WebServer {
    func addPages(_ router: Router<WebRequestContext>) {
        let page = { @Sendable (kind: Pages.Kind) in
            HTML.page(Pages.page(kind, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume,
                                 confirmAbove: core.settings.confirmAbove.description,
                                 entrySlippage: core.settings.entrySlippage.description, staleAfter: core.settings.staleAfter))
        }
        router.get("/") { _, _ in page(.monitor) }
        router.get("monitor") { _, _ in page(.monitor) }
        router.get("history") { _, _ in page(.history) }
        router.get("account") { _, _ in page(.account) }
        router.get("system") { _, _ in page(.system) }
        router.get("assets/:name") { _, context in
            guard let asset = Pages.asset(context.parameters.get("name") ?? "") else { return JSON.error(.notFound, "no such asset") }
            return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-cache", HTML.noSniff: "nosniff"],
                            body: .init(byteBuffer: ByteBuffer(string: asset.text)))
        }
    }
}
