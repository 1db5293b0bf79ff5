import Foundation

/// One momentum bucket's surface: for t = 1…60 minutes and X = 0.00…2.00 % (0.05 steps), the weighted share of
/// historical minutes whose close t minutes later was ≥ +X % (`up`) or ≤ −X % (`down`) from the start.
public struct FingerprintSurface: Codable, Sendable, Hashable {
    /// The bucket (rounded momentum × 100), nil for the baseline (all minutes).
    public var momentum: Int?
    /// Total weight of the starting minutes counted at t = 1 (how much history the bucket has).
    public var weight: Double
    /// `up[(t − 1)·thresholds + k]`: P(move ≥ +X_k %) after t minutes, as a fraction.
    public var up: [Double]
    /// `down[(t − 1)·thresholds + k]`: P(move ≤ −X_k %) after t minutes, as a fraction.
    public var down: [Double]

    /// A surface.
    public init(momentum: Int?, weight: Double, up: [Double], down: [Double]) {
        self.momentum = momentum; self.weight = weight; self.up = up; self.down = down
    }
}

/// The fitted fingerprint tables: one surface per momentum bucket (−30…+30, buckets without enough history left
/// out) plus the baseline. Serialised as one JSON file.
public struct FingerprintTables: Codable, Sendable, Hashable {
    /// The minutes of the rows: 1…`minutes`.
    public var minutes: Int
    /// Threshold step in percent (0.05).
    public var step: Double
    /// Number of thresholds: 0, step, … (41 for 0.00…2.00).
    public var thresholds: Int
    /// What the tables were fitted from (files, year weights), for the record.
    public var source: String
    /// The baseline (every minute).
    public var baseline: FingerprintSurface
    /// The momentum buckets, ascending.
    public var buckets: [FingerprintSurface]

    /// Tables.
    public init(minutes: Int = 60, step: Double = 0.05, thresholds: Int = 41, source: String, baseline: FingerprintSurface,
                buckets: [FingerprintSurface]) {
        self.minutes = minutes; self.step = step; self.thresholds = thresholds; self.source = source
        self.baseline = baseline; self.buckets = buckets
    }

    /// The largest move in the tables, in percent (2.00).
    public var maxMove: Double { Double(thresholds - 1) * step }

    /// Writes the tables as JSON to `path`. - Throws: ``ModelError`` when it cannot be written.
    public func write(to path: String) throws(ModelError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { try encoder.encode(self).write(to: URL(fileURLWithPath: path)) } catch {
            throw ModelError("\(path): cannot write the fingerprint tables: \(error)")
        }
    }

    /// Reads and checks tables written by ``write(to:)``. - Throws: ``ModelError`` naming the file.
    public static func read(from path: String) throws(ModelError) -> FingerprintTables {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw ModelError("\(path): cannot read: \(error)") }
        let tables: FingerprintTables
        do { tables = try JSONDecoder().decode(FingerprintTables.self, from: data) } catch {
            throw ModelError("\(path): not fingerprint tables: \(error)")
        }
        let cells = tables.minutes * tables.thresholds
        for s in [tables.baseline] + tables.buckets where s.up.count != cells || s.down.count != cells {
            throw ModelError("\(path): bucket \(s.momentum.map(String.init) ?? "baseline") has \(s.up.count)/\(s.down.count) cells, expected \(cells)")
        }
        guard tables.minutes >= 1, tables.thresholds >= 2, tables.step > 0 else { throw ModelError("\(path): empty tables") }
        return tables
    }
}
