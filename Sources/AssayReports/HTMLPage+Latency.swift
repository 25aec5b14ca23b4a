import AssayCore

extension HTMLPage {
    /// Box plots of cell latency per tier (minimum, quartiles, median, p95 tick, maximum) over a strip of
    /// up to 150 cells per tier; clean cells only (faults add delays by design).
    func latencyChart() -> String {
        let rows = tiers.map { tier in run.cells.filter { $0.key.tier == tier && $0.key.isClean }.map(\.latencyNanos).sorted() }
        let rowHeight = 36.0
        let (width, left, right, top, bottom) = (560.0, 90.0, 20.0, 10.0, 40.0)
        let height = top + bottom + rowHeight * Double(max(1, tiers.count))
        let maxNanos = max(rows.compactMap(\.last).max() ?? 0, 1_000_000)
        let x = SVGScale(domain: (0, Double(maxNanos) / 1e9), range: (left, width - right))
        let desc = zip(tiers, rows).map { tier, r in
            r.isEmpty ? "\(tier): no cells" : "\(tier): median \(ReportFormat.seconds(Self.quantile(r, 0.5))) s, "
                + "p95 \(ReportFormat.seconds(Self.quantile(r, 0.95))) s, max \(ReportFormat.seconds(r.last!)) s over \(r.count) cells"
        }.joined(separator: "; ")
        var svg = SVGChart.open(id: "latency", width: Int(width), height: Int(height), title: "Latency per cell by tier", desc: desc)
        for t in SVGChart.ticks(0, Double(maxNanos) / 1e9) {
            svg += "<line x1=\"\(SVGChart.n(x(t)))\" x2=\"\(SVGChart.n(x(t)))\" y1=\"\(SVGChart.n(top))\" y2=\"\(SVGChart.n(height - bottom))\" stroke=\"#d0d7de\"/>"
                + "<text x=\"\(SVGChart.n(x(t)))\" y=\"\(SVGChart.n(height - bottom + 16))\" text-anchor=\"middle\">\(ReportFormat.fixed(t, 2))</text>"
        }
        svg += "<text x=\"\(SVGChart.n((left + width - right) / 2))\" y=\"\(SVGChart.n(height - 6))\" text-anchor=\"middle\">seconds</text>"
        for (i, (tier, r)) in zip(tiers, rows).enumerated() {
            let mid = top + rowHeight * (Double(i) + 0.5)
            svg += "<text x=\"\(SVGChart.n(left - 6))\" y=\"\(SVGChart.n(mid + 4))\" text-anchor=\"end\">\(SVGChart.label(tier, max: 12))</text>"
            guard !r.isEmpty else { continue }
            let colour = SVGChart.palette[i % SVGChart.palette.count]
            let s = { (nanos: UInt64) in x(Double(nanos) / 1e9) }
            let step = max(1, r.count / 150)
            for (j, v) in r.enumerated() where j % step == 0 {
                let jitter = Double((j * 7919) % 11) - 5
                svg += "<circle cx=\"\(SVGChart.n(s(v)))\" cy=\"\(SVGChart.n(mid + jitter))\" r=\"1.5\" fill=\"\(colour)\" fill-opacity=\"0.35\"/>"
            }
            let (q1, q2, q3, p95) = (Self.quantile(r, 0.25), Self.quantile(r, 0.5), Self.quantile(r, 0.75), Self.quantile(r, 0.95))
            svg += "<line x1=\"\(SVGChart.n(s(r.first!)))\" x2=\"\(SVGChart.n(s(r.last!)))\" y1=\"\(SVGChart.n(mid))\" y2=\"\(SVGChart.n(mid))\" stroke=\"#1b1f24\"/>"
            svg += "<rect x=\"\(SVGChart.n(s(q1)))\" y=\"\(SVGChart.n(mid - 9))\" width=\"\(SVGChart.n(max(1, s(q3) - s(q1))))\" height=\"18\" "
                + "fill=\"\(colour)\" fill-opacity=\"0.25\" stroke=\"\(colour)\"/>"
            svg += "<line x1=\"\(SVGChart.n(s(q2)))\" x2=\"\(SVGChart.n(s(q2)))\" y1=\"\(SVGChart.n(mid - 9))\" y2=\"\(SVGChart.n(mid + 9))\" stroke=\"#1b1f24\" stroke-width=\"2\"/>"
            svg += "<line x1=\"\(SVGChart.n(s(p95)))\" x2=\"\(SVGChart.n(s(p95)))\" y1=\"\(SVGChart.n(mid - 6))\" y2=\"\(SVGChart.n(mid + 6))\" stroke=\"#d1242f\" stroke-width=\"2\"/>"
        }
        svg += "</svg>"
        return "<figure>\(svg)<figcaption>Box: quartiles and median; whiskers: fastest to slowest; red tick: p95; dots: cells.</figcaption></figure>\n"
    }

    /// The nearest-rank quantile of sorted values (as the run summary computes p50 and p95).
    static func quantile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
