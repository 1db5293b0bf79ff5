import Foundation

/// Headless Chromium, its driver and Selenium, as `scripts/install-deps` installs them: what the browser tests need.
public enum Browser {
    public static let chromium = "/usr/bin/chromium", driver = "/usr/bin/chromedriver"

    /// Whether all three are installed (the browser tests are skipped otherwise).
    public static var available: Bool {
        guard FileManager.default.isExecutableFile(atPath: chromium), FileManager.default.isExecutableFile(atPath: driver) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import selenium"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// The package root, from this file's path.
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
