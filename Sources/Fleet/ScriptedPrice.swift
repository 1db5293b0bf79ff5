public import Money
public import PriceSim
import Synchronization

/// A BTC index that follows a script: a price from a given second on, until the next step. A test or benchmark
/// adds steps for seconds still to come, so every reader of a past second always sees the same price.
public final class ScriptedPrice: PriceProcess {
    private let steps: Mutex<[(from: Int64, price: Dollars)]>

    /// An index at `price` from `second` on.
    public init(price: Dollars, from second: Int64) { steps = Mutex([(second, price)]) }

    /// From `second` on, the index is `price`. Steps are kept in order; a step before the last one replaces the
    /// script from there on.
    public func set(_ price: Dollars, from second: Int64) {
        steps.withLock { s in
            s.removeAll { $0.from >= second }
            s.append((second, price))
        }
    }

    public func value(atSecond second: Int64) -> Dollars? {
        steps.withLock { s in s.last { $0.from <= second }?.price }
    }
}
