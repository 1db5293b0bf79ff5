import Money
import SimExchange

/// 2026-09-10T00:00:00Z, the close of KXBTCD-26SEP0920 (8 pm EDT).
let closeMs: Millis = 1_788_998_400_000
let halfHourBefore = closeMs - 1_800_000
let event = "KXBTCD-26SEP0920"
/// The at-the-money market when spot is $100,000.
let atm = "KXBTCD-26SEP0920-T99999.99"

func d(_ s: String) -> Dollars { Dollars(s)! }
func c(_ n: Int64) -> Contracts { Contracts(whole: n) }

/// An exchange half an hour before the close, at a constant $100,000 index, makers off unless asked.
func makeExchange(makers: Bool = false, index: any IndexSource = ConstantIndexSource(Dollars(cents: 10_000_000))) -> Exchange {
    var config = ExchangeConfig()
    config.marketMaker.enabled = makers
    return Exchange(config: config, index: index, now: halfHourBefore)
}

extension Exchange {
    /// Places a GTC limit order or fails the test by trapping.
    @discardableResult
    mutating func limit(_ user: String, _ side: BookSide, _ count: Int64, _ price: String, ticker: String = atm,
                        tif: TimeInForce = .goodTillCanceled, cid: String? = nil) throws(ExchangeError) -> OrderResult {
        try createOrder(OrderRequest(ticker: ticker, side: side, count: c(count), price: d(price), timeInForce: tif, clientOrderID: cid),
                        user: user, now: now)
    }
}

/// An index at $99,990 in the settlement minute except one print at $100,700, with far-off values elsewhere: the
/// 60-second average (100,001.83) is above the 99,999.99 strike while almost every print is below it.
struct SettlementMinuteIndex: IndexSource {
    func index(atSecond s: Int64) -> Dollars? {
        let close = closeMs / 1000
        if s < close - 60 { return s < close - 600 ? Dollars(cents: 10_000_000) : Dollars(cents: 1_000_000_000) }
        if s >= close { return Dollars(cents: 9_900_000) }
        return s == close - 30 ? Dollars(cents: 10_070_000) : Dollars(cents: 9_999_000)
    }
}
