import BusWire

/// Renders a ``LauncherStatus`` as the table `recio status` prints.
public enum StatusTable {
    /// The table as of `now`: plugin, pid, state, uptime, restarts, RSS, heartbeat age, and a note on the last exit.
    public static func render(_ s: LauncherStatus, now: BusTime) -> String {
        let header = ["PLUGIN", "PID", "STATE", "UPTIME", "RESTARTS", "RSS", "HEARTBEAT", "NOTE"]
        var rows = [header]
        for p in s.plugins {
            rows.append([
                p.name, p.pid.map(String.init) ?? "-", p.state.rawValue,
                p.pid != nil ? p.startedAt.map { duration($0.seconds(until: now)) } ?? "-" : "-",
                String(p.restarts), p.rss.map(megabytes) ?? "-",
                p.lastHeartbeat.map { duration($0.seconds(until: now)) + " ago" } ?? "never",
                note(p, now: now),
            ])
        }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        let lines = rows.map { r in
            var line = r.indices.map { r[$0].padding(toLength: widths[$0]) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
        return "launcher pid \(s.pid) on host \(s.host)\n" + lines.joined(separator: "\n")
    }

    static func note(_ p: PluginStatus, now: BusTime) -> String {
        guard let exit = p.lastExit else { return "" }
        if let next = p.nextStart, p.pid == nil { return "last \(exit); restart in \(duration(now.seconds(until: next)))" }
        return "last \(exit)"
    }

    static func duration(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 60 { return String(Int(s * 10) / 10) + "." + String(Int(s * 10) % 10) + "s" }
        if s < 3600 { return "\(Int(s) / 60)m\(Int(s) % 60)s" }
        if s < 86_400 { return "\(Int(s) / 3600)h\(Int(s) % 3600 / 60)m" }
        return "\(Int(s) / 86_400)d\(Int(s) % 86_400 / 3600)h"
    }

    static func megabytes(_ bytes: Int) -> String { "\(bytes / (1 << 20)).\(bytes % (1 << 20) * 10 / (1 << 20)) MB" }
}

extension String {
    func padding(toLength n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
