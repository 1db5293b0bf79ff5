/// `fingerprint`: the original's model. The surface of the momentum bucket nearest round(momentum) (the baseline
/// without momentum), bilinear interpolation over (time to close in minutes, clamped 1…60; move in percent,
/// capped at 2.00). A strike above the price: P(YES) = P(move ≥ +X %); below: P(YES) = 1 − P(move ≤ −X %).
public struct FingerprintModel: ProbabilityModel {
    /// `fingerprint`.
    public var name: String { "fingerprint" }
    /// The tables.
    public let tables: FingerprintTables
    /// Surface per momentum −30…+30: the nearest bucket present.
    private let nearest: [FingerprintSurface]

    /// A model over fitted tables.
    public init(tables: FingerprintTables) {
        self.tables = tables
        nearest = (-30...30).map { m in
            tables.buckets.min { abs(($0.momentum ?? 0) - m) < abs(($1.momentum ?? 0) - m) } ?? tables.baseline
        }
    }

    /// The surface used for `momentum`.
    public func surface(momentum: Int?) -> FingerprintSurface {
        guard let m = momentum else { return tables.baseline }
        return nearest[min(60, max(0, m + 30))]
    }

    /// P(settlement > `strike`).
    public func probabilityAbove(strike: Double, input: ModelInput) -> Double {
        let s = surface(momentum: input.momentum)
        let price = input.price
        guard price > 0 else { return 0.5 }
        let move = abs(strike - price) / price * 100
        if strike > price { return Self.lookup(s.up, tables, seconds: input.secondsToClose, move: move) }
        return 1 - Self.lookup(s.down, tables, seconds: input.secondsToClose, move: move)
    }

    /// Bilinear interpolation of a surface at (seconds to close, move %).
    @inline(__always)
    public static func lookup(_ cells: [Double], _ t: FingerprintTables, seconds: Double, move: Double) -> Double {
        let minute = min(Double(t.minutes), max(1, seconds / 60))
        let x = min(t.maxMove, max(0, move)) / t.step
        let r0 = min(t.minutes - 1, Int(minute) - 1), c0 = min(t.thresholds - 1, Int(x))
        let r1 = min(t.minutes - 1, r0 + 1), c1 = min(t.thresholds - 1, c0 + 1)
        let fr = minute - Double(r0 + 1), fc = x - Double(c0)
        let n = t.thresholds
        return cells.withUnsafeBufferPointer { c in
            let a = c[r0 * n + c0] * (1 - fc) + c[r0 * n + c1] * fc
            let b = c[r1 * n + c0] * (1 - fc) + c[r1 * n + c1] * fc
            return a * (1 - fr) + b * fr
        }
    }
}
