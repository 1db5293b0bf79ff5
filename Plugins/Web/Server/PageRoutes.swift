import Logging
import Money
import BusKit
import Synchronization
import Hummingbird

/// The four pages; each is one HTML document with its styles and scripts inline (no CDN, no build step).
extension WebServer {
    func addPages(_ router: Router<WebRequestContext>) {
        router.get("/") { _, _ in HTML.page(Pages.page(.monitor, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume)) }
        router.get("monitor") { _, _ in HTML.page(Pages.page(.monitor, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume)) }
        router.get("history") { _, _ in HTML.page(Pages.page(.history, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume)) }
        router.get("account") { _, _ in HTML.page(Pages.page(.account, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume)) }
        router.get("system") { _, _ in HTML.page(Pages.page(.system, mode: core.mode, login: core.settings.requiresLogin, minBuyVolume: core.settings.minBuyVolume)) }
    }
}
