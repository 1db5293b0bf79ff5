import Foundation
import Hummingbird

/// `GET /api/preferences` and `POST /api/preferences`: the buy size, multiplier and +/− mode, shared by every device
/// and pushed to every open page when one changes them.
extension WebServer {
    func addPreferenceRoutes(_ router: Router<WebRequestContext>) {
        router.get("api/preferences") { _, _ in JSON.encode(core.preferences.value) }
        router.post("api/preferences") { request, context in
            let client = core.client(request, context)
            guard let p = await JSON.body(request, as: Preferences.self) else {
                return JSON.error(.badRequest, "expected {\"size\":1, \"mult\":1, \"diff\":false}")
            }
            if let problem = p.problem { return JSON.error(.badRequest, problem) }
            let written = core.preferences.set(p)
            core.hub.broadcast(core.preferences.frame)
            core.audit("settings", client: client, detail: "web: size=\(p.size), mult=\(p.mult), diff=\(p.diff)",
                       outcome: written ? "200 saved" : "200 kept, not written to \(core.preferences.path)")
            return JSON.encode(p)
        }
    }
}
