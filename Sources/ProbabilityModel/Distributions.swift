#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few distribution functions the models need, in closed form (no tables, no allocation).
public enum Distributions {
    /// CDF of Student's t with 4 degrees of freedom: ½ + x(3 − x²)/4 with x = t/√(t² + 4) (F(1) = 0.81305, F(2) = 0.94194).
    @inline(__always)
    public static func studentT4CDF(_ t: Double) -> Double {
        let x = t / (t * t + 4).squareRoot()
        return 0.5 + x * (3 - x * x) / 4
    }

    /// CDF of the standard normal distribution.
    @inline(__always)
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// P(X > `z`·sd) for a zero-mean variable with standard deviation sd: a unit-variance Student-t(4)
    /// (fat tails) or a normal.
    @inline(__always)
    public static func upperTail(_ z: Double, fatTails: Bool) -> Double {
        // A t(4) variable has variance 2; scale it to unit variance.
        fatTails ? 1 - studentT4CDF(z * 2.0.squareRoot()) : 1 - normalCDF(z)
    }
}
