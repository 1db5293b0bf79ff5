extension BenchReport {
    /// The report as a table for a terminal, or as Markdown (for BENCHMARKS.md).
    public func table(markdown: Bool = false) -> String {
        let header = ["figure", "value", "unit", "vs raw", "target", "result"]
        let rows = figures.map { f in
            [f.name, BenchFigure.format(f.value), f.unit, f.ratio.map { "\(BenchFigure.format($0)) x" } ?? "",
             f.target ?? "", f.pass.map { $0 ? "PASS" : "MISS" } ?? ""]
        }
        let about = "machine: \(machine.cores) cores, \(machine.cpu), kernel \(machine.kernel); \(date)"
        if markdown {  // with each figure's spread over the runs
            let line = { (r: [String]) in "| " + r.joined(separator: " | ") + " |" }
            let spread = figures.map { f in
                "\(BenchFigure.format(f.runs.min() ?? 0)) – \(BenchFigure.format(f.runs.max() ?? 0))"
            }
            let table = [header + ["runs (min – max)"]] + zip(rows, spread).map { $0 + [$1] }
            let rule = "|" + table[0].map { _ in "---|" }.joined()
            return ([line(table[0]), rule] + table.dropFirst().map(line)).joined(separator: "\n") + "\n"
        }
        let all = [header.map { $0.uppercased() }] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        let body = all.map { r in
            r.indices.map { r[$0] + String(repeating: " ", count: widths[$0] - r[$0].count) }.joined(separator: "  ")
        }
        return ([about] + body.map { String($0.reversed().drop { $0 == " " }.reversed()) }).joined(separator: "\n") + "\n"
    }
}
