import Money
import ProbabilityModel
import TradingWire

extension BacktestReport {
    /// A self-contained HTML page: the summary table, the equity curve (inline SVG), the calibration plot
    /// (``ReliabilityPlot``), PnL by hour and by distance.
    public func html() -> String {
        var s = "<!doctype html><html><head><meta charset=\"utf-8\"><title>rec.io backtest</title>"
        s += "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>"
        s += "<h1>Backtest \(UTCText.date(from)) – \(UTCText.date(to))</h1><p>\(marketMinutes) market-minutes replayed over \(minutes) minutes.</p>"
        s += "<table><tr><th>strategy</th><th>trades</th><th>win rate</th><th>PnL</th><th>fees</th><th>max drawdown</th><th>max held</th><th>mean held</th></tr>"
        for sum in [summary] + (comparison.map { [$0] } ?? []) {
            s += "<tr><td>\(escape(sum.strategy))</td><td>\(sum.trades)</td><td>\(sum.winRate ?? "-")</td><td>\(Self.money(sum.pnl))</td>"
            s += "<td>\(Self.money(sum.fees))</td><td>\(Self.money(sum.maxDrawdown))</td><td>\(Self.money(sum.exposure.maximum))</td><td>\(Self.money(sum.exposure.mean))</td></tr>"
        }
        s += "</table><h2>Equity (cumulative PnL after fees)</h2>" + equitySVG()
        if let calibration { s += "<h2>Calibration</h2>" + ReliabilityPlot.svg(calibration) }
        for (title, list) in [("PnL by US Eastern hour of entry", byHour), ("PnL by distance from the money (strike spacings)", byDistance)] {
            s += "<h2>\(title)</h2><table><tr><th>bucket</th><th>trades</th><th>win rate</th><th>PnL</th></tr>"
            for b in list { s += "<tr><td>\(b.key)</td><td>\(b.trades)</td><td>\(b.winRate ?? "-")</td><td>\(Self.money(b.pnl))</td></tr>" }
            s += "</table>"
        }
        s += "<ul>" + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul></body></html>\n"
        return s
    }

    /// The equity curve as SVG: cumulative PnL against time, with the zero line.
    public func equitySVG(width: Double = 800, height: Double = 260) -> String {
        let m = 40.0
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        let values = [0.0] + equity.map { Double($0.pnl.micros) / 1e6 }
        let lo = values.min() ?? 0, hi = max(values.max() ?? 1, lo + 1e-6)
        let t0 = Double(from), t1 = Double(max(to, from + 1))
        func x(_ t: Double) -> Double { m + (t - t0) / (t1 - t0) * (width - 2 * m) }
        func y(_ v: Double) -> Double { height - m - (v - lo) / (hi - lo) * (height - 2 * m) }
        func f(_ v: Double) -> String { ReliabilityPlot.fmt(v) }
        s += "<line x1=\"\(f(m))\" y1=\"\(f(y(0)))\" x2=\"\(f(width - m))\" y2=\"\(f(y(0)))\" stroke=\"#bbb\" stroke-dasharray=\"4,3\"/>"
        var points = ["\(f(x(t0))),\(f(y(0)))"]
        for p in equity { points.append("\(f(x(Double(p.ts)))),\(f(y(Double(p.pnl.micros) / 1e6)))") }
        s += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>"
        s += "<text x=\"4\" y=\"\(f(y(hi) + 4))\">\(Self.money(Dollars(micros: Int64(hi * 1e6))))</text>"
        s += "<text x=\"4\" y=\"\(f(y(lo) + 4))\">\(Self.money(Dollars(micros: Int64(lo * 1e6))))</text>"
        s += "<text x=\"\(f(m))\" y=\"\(f(height - 10))\">\(UTCText.date(from))</text>"
        s += "<text x=\"\(f(width - m))\" y=\"\(f(height - 10))\" text-anchor=\"end\">\(UTCText.date(to))</text></svg>"
        return s
    }

    func escape(_ t: String) -> String {
        t.replacingOccurrences("&", "&amp;").replacingOccurrences("<", "&lt;").replacingOccurrences(">", "&gt;")
    }
}

extension String {
    /// Every `a` replaced by `b`, without Foundation.
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty else { return self }
        var out = "", rest = self[...]
        while let r = rest.firstRange(of: a) { out += rest[..<r.lowerBound] + b; rest = rest[r.upperBound...] }
        return out + rest
    }
}
