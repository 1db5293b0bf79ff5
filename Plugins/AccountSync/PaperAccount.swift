import Money
import TradingWire

/// Paper mode's account, kept by account sync because there is no venue account: a cash balance that starts at
/// `paper_balance`, moved by the paper fills the executor publishes and by settlements, and one net position per
/// market as Kalshi keeps it (positive YES, negative NO; buying the side opposite a position nets against it and
/// pays $1 per pair, as Kalshi does). Pure: the shell stores every fill and settlement and rebuilds this from them.
struct PaperAccount: Sendable, Hashable {
    /// What the account started with.
    let start: Dollars
    /// Cash now.
    private(set) var cash: Dollars
    /// Net position per market: positive YES, negative NO.
    private(set) var positions: [String: Contracts] = [:]
    /// Fees paid per market, for the positions message.
    private(set) var fees: [String: Dollars] = [:]

    /// An account holding `start` in cash and nothing else.
    init(start: Dollars) { self.start = start; cash = start }

    /// Markets with a position.
    var held: [String] { positions.filter { $0.value != .zero }.keys.sorted() }

    /// A paper fill: pays price × count and the fee (a sell receives it), and nets against the other side.
    mutating func apply(_ fill: VenueFill) {
        let signed = fill.side == .yes ? fill.count : -fill.count
        let delta = fill.action == "sell" ? -signed : signed
        let value = fill.price * fill.count
        cash = cash + (fill.action == "sell" ? value : -value) - (fill.fee ?? .zero)
        fees[fill.ticker, default: .zero] = fees[fill.ticker, default: .zero] + (fill.fee ?? .zero)
        let before = positions[fill.ticker, default: .zero]
        // A pair of YES and NO is worth $1 whatever happens; Kalshi pays it out when a buy nets against a holding.
        if fill.action != "sell", (before.centis > 0 && delta.centis < 0) || (before.centis < 0 && delta.centis > 0) {
            cash = cash + Dollars(cents: 100) * min(Self.magnitude(before), fill.count)
        }
        positions[fill.ticker] = before + delta
    }

    /// The market's result: the position pays $1 a contract on the winning side (`void` returns nothing here: the
    /// cost stays spent, as the trade book records it). Nil when nothing is held in `ticker`.
    mutating func settle(ticker: String, eventTicker: String?, result: String, settledTs: Int64) -> VenueSettlement? {
        guard let position = positions[ticker], position != .zero else { return nil }
        let yes = position.centis > 0 ? position : .zero, no = position.centis < 0 ? -position : .zero
        let won = result == "yes" ? yes : result == "no" ? no : .zero
        let revenue = Dollars(cents: 100) * won
        cash = cash + revenue
        positions[ticker] = .zero
        return VenueSettlement(ticker: ticker, eventTicker: eventTicker, result: result, yesCount: yes, noCount: no,
                               yesTotalCost: nil, noTotalCost: nil, revenue: revenue, fee: .zero, settledTs: settledTs)
    }

    /// A stored settlement read back at start: the position it closed is gone and its revenue was paid.
    mutating func replay(_ s: VenueSettlement) {
        cash = cash + s.revenue
        positions[s.ticker] = .zero
    }

    /// The balance message.
    func balance(time: String) -> AccountBalance {
        AccountBalance(balance: cash, portfolioValue: nil, mode: "paper", time: time)
    }

    /// The positions message: every market held.
    func positionsMessage(time: String) -> AccountPositions {
        AccountPositions(positions: held.map { VenuePosition(ticker: $0, position: positions[$0]!, marketExposure: nil, realizedPnl: nil,
                                                               feesPaid: fees[$0]) },
                         time: time)
    }

    private static func magnitude(_ c: Contracts) -> Contracts { c.centis < 0 ? -c : c }
}
