/// Writes a reliability diagram (forecast vs observed frequency per calibration bin) as hand-made SVG: one panel per
/// horizon, one coloured line per forecaster, the diagonal for perfect calibration.
public enum ReliabilityPlot {
    static let colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]

    /// The SVG text of `report`.
    public static func svg(_ report: EvaluationReport) -> String {
        let panel = 260.0, margin = 40.0, gap = 30.0
        let width = margin + Double(report.horizons.count) * (panel + gap), height = panel + 2 * margin + 30
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#
        s += "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (p, h) in report.horizons.enumerated() {
            let x0 = margin + Double(p) * (panel + gap), y0 = margin
            func px(_ v: Double) -> String { fmt(x0 + v * panel) }
            func py(_ v: Double) -> String { fmt(y0 + (1 - v) * panel) }
            s += "<rect x=\"\(fmt(x0))\" y=\"\(fmt(y0))\" width=\"\(fmt(panel))\" height=\"\(fmt(panel))\" fill=\"none\" stroke=\"#888\"/>\n"
            s += "<line x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(1))\" y2=\"\(py(1))\" stroke=\"#bbb\" stroke-dasharray=\"4,3\"/>\n"
            s += "<text x=\"\(px(0.5))\" y=\"\(fmt(y0 - 8))\" text-anchor=\"middle\">\(h.minutes) min before close (n=\(h.samples))</text>\n"
            for tick in stride(from: 0.0, through: 1.0, by: 0.5) {
                s += "<text x=\"\(px(tick))\" y=\"\(fmt(y0 + panel + 14))\" text-anchor=\"middle\">\(fmt(tick))</text>\n"
                s += "<text x=\"\(fmt(x0 - 4))\" y=\"\(py(tick))\" text-anchor=\"end\">\(fmt(tick))</text>\n"
            }
            for (k, name) in report.forecasters.enumerated() {
                guard let score = h.scores[name] else { continue }
                let points = score.calibration.compactMap { b -> String? in
                    guard let f = b.meanForecast, let o = b.observed else { return nil }
                    return "\(px(f)),\(py(o))"
                }
                let colour = colours[k % colours.count]
                s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>\n"
                if p == 0 {
                    s += "<text x=\"\(fmt(x0 + 8))\" y=\"\(fmt(y0 + 14 + Double(k) * 14))\" fill=\"\(colour)\">\(name)</text>\n"
                }
            }
        }
        s += "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height - 10))\" text-anchor=\"middle\">forecast P(YES) → observed share YES</text>\n</svg>\n"
        return s
    }

    /// `v` with up to one decimal.
    public static func fmt(_ v: Double) -> String {
        let tenths = Int64((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = tenths.magnitude
        return m % 10 == 0 ? "\(sign)\(m / 10)" : "\(sign)\(m / 10).\(m % 10)"
    }
}
