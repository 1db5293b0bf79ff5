import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Moves a data folder from before modes had their own folders (every SQLite file and `<plugin>/settings.json`
/// directly under `$RECIO_HOME`) into the folder of the mode being started, once.
///
/// Each file is renamed (atomic on one file system) under an exclusive lock on `$RECIO_HOME/run/migrate.lock`, so
/// two processes starting together move each file once and the second finds nothing left. A database moves with
/// its `-wal` and `-shm` files (the log files first, the database last), so unresolved journal entries and holds
/// move with it; a database already present in the mode folder is never overwritten (the old one stays and a
/// warning says so).
public enum DataMigration {
    /// What one run did.
    public struct Report: Sendable, Hashable {
        /// Files moved, as paths relative to `$RECIO_HOME` before the move.
        public var moved: [String] = []
        /// Old files left where they were, each with why.
        public var kept: [String] = []
        /// Whether there was nothing to do.
        public var isEmpty: Bool { moved.isEmpty && kept.isEmpty }
    }

    /// Folders directly under `$RECIO_HOME` that are shared by every mode (or are modes): never moved.
    static let sharedFolders: Set<String> = Set(RunMode.allCases.map(\.rawValue)).union(["logs", "run", "tapes", "model", "web", "keys", "credentials"])

    /// Moves whatever the old layout left in `layout.home` into `layout.folder`.
    /// - Throws: ``BusError`` of kind `configuration` when the folders or the lock cannot be made.
    @discardableResult
    public static func run(_ layout: DataLayout) throws(BusError) -> Report {
        let home = layout.home, target = layout.folder
        let lockPath = home + "/run/migrate.lock"
        RuntimeSettingsStore.makeFolders(of: lockPath)
        RuntimeSettingsStore.makeFolders(of: target + "/.")
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw BusError(.configuration, "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw BusError(.configuration, "cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }

        var report = Report()
        for name in DataLayout.databaseNames where exists(home + "/" + name) || exists(home + "/" + name + "-wal") {
            let parts = ["-wal", "-shm", "-journal", ""].map { name + $0 }.filter { exists(home + "/" + $0) }
            if let clash = parts.first(where: { exists(target + "/" + $0) }) {
                report.kept.append("\(name): \(target)/\(clash) already exists")
                continue
            }
            for part in parts { move(part, home: home, target: target, into: &report) }
        }
        for plugin in settingsFolders(home) {
            let file = plugin + "/settings.json"
            if exists(target + "/" + file) {
                report.kept.append("\(file): \(target)/\(file) already exists")
                continue
            }
            _ = mkdir(target + "/" + plugin, 0o700)
            move(file, home: home, target: target, into: &report)
            rmdir(home + "/" + plugin)  // only when nothing else was in it
        }
        return report
    }

    /// ``run(_:)``, then one log line saying what moved (nothing is logged when nothing was left to move).
    public static func run(_ layout: DataLayout, logger: Logger) throws(BusError) {
        let report = try run(layout)
        if !report.moved.isEmpty {
            logger.notice("moved the data folder's old layout into the \(layout.mode) folder", metadata: [
                "from": "\(layout.home)", "to": "\(layout.folder)", "files": "\(report.moved.joined(separator: ", "))",
            ])
        }
        for why in report.kept {
            logger.warning("an old-layout file was left in place: move or delete it by hand", metadata: ["file": "\(why)"])
        }
    }

    private static func move(_ relative: String, home: String, target: String, into report: inout Report) {
        if rename(home + "/" + relative, target + "/" + relative) == 0 {
            report.moved.append(relative)
        } else if errno != ENOENT {
            report.kept.append("\(relative): \(String(cString: strerror(errno)))")
        }
    }

    /// `<plugin>` folders directly under `home` that hold a `settings.json`.
    static func settingsFolders(_ home: String) -> [String] {
        guard let dir = opendir(home) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix("."), !sharedFolders.contains(name), exists(home + "/" + name + "/settings.json") else { continue }
            names.append(name)
        }
        return names.sorted()
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
