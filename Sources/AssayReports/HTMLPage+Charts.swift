import AssayCore

extension HTMLPage {
    func chartsSection() -> String {
        var out = "<section id=\"charts\" aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">Charts</h2>\n"
        out += "<h3>Score by tier</h3>\n<p class=\"note\">Mean score with its 95% interval on each tier; a dashed orange step is flat "
            + "(no rise beyond noise), a dashed grey line the threshold.</p>\n"
        for component in matrixComponents { out += scalingChart(component) }
        out += "<h3>Cost against quality</h3>\n" + costQualityChart()
        out += "<h3>Latency by tier</h3>\n" + latencyChart()
        out += "</section>\n"
        return out
    }

    func scalingChart(_ component: String) -> String {
        let (width, height, left, right, top, bottom) = (340.0, 210.0, 44.0, 14.0, 14.0, 40.0)
        let cells = tiers.map { summary.cell(component, $0) }
        let values = cells.flatMap { c in [c?.low, c?.mean, c?.high].compactMap { $0 } }.filter(\.isFinite)
        let threshold = run.threshold(component)
        let low = min(0, values.min() ?? 0), high = max(1, values.max() ?? 1)
        let y = SVGScale(domain: (low, high), range: (height - bottom, top))
        let x = SVGScale(domain: (0, Double(max(1, tiers.count - 1))), range: (left + 20, width - right - 20))
        let id = HTMLPage.id("scaling", component)
        let desc = zip(tiers, cells).map { tier, c in
            "\(tier): \(ReportFormat.fixed(c?.mean, 3))" + (c?.low.flatMap { l in c?.high.map { " (\(ReportFormat.fixed(l, 3)) to \(ReportFormat.fixed($0, 3)))" } } ?? "")
        }.joined(separator: "; ")
        var svg = SVGChart.open(id: id, width: Int(width), height: Int(height), title: "Score by tier for \(component)", desc: desc)
        svg += SVGChart.yAxis(y, ticks: SVGChart.ticks(low, high), left: left, right: width - right, decimals: 2)
        if let threshold, threshold.isFinite {
            svg += "<line x1=\"\(SVGChart.n(left))\" x2=\"\(SVGChart.n(width - right))\" y1=\"\(SVGChart.n(y(threshold)))\" "
                + "y2=\"\(SVGChart.n(y(threshold)))\" stroke=\"#57606a\" stroke-dasharray=\"2 3\"/>"
        }
        let checks = summary.scaling.filter { $0.component == component }
        for i in tiers.indices.dropLast() {
            guard let a = cells[i]?.mean, let b = cells[i + 1]?.mean else { continue }
            let flat = checks.first { $0.from == tiers[i] && $0.to == tiers[i + 1] }?.flat ?? false
            svg += "<line class=\"\(flat ? "step-flat" : "step")\" x1=\"\(SVGChart.n(x(Double(i))))\" y1=\"\(SVGChart.n(y(a)))\" "
                + "x2=\"\(SVGChart.n(x(Double(i + 1))))\" y2=\"\(SVGChart.n(y(b)))\" stroke=\"\(flat ? "#bc4c00" : "#0969da")\" stroke-width=\"2\""
                + (flat ? " stroke-dasharray=\"5 3\"/>" : "/>")
        }
        for (i, tier) in tiers.enumerated() {
            let cx = x(Double(i))
            svg += "<text x=\"\(SVGChart.n(cx))\" y=\"\(SVGChart.n(height - bottom + 16))\" text-anchor=\"middle\">\(SVGChart.label(tier))</text>"
            guard let c = cells[i], let mean = c.mean else { continue }
            if let l = c.low, let h = c.high {
                svg += "<line x1=\"\(SVGChart.n(cx))\" x2=\"\(SVGChart.n(cx))\" y1=\"\(SVGChart.n(y(l)))\" y2=\"\(SVGChart.n(y(h)))\" stroke=\"#1b1f24\"/>"
            }
            svg += SVGChart.marker(i, x: cx, y: y(mean))
        }
        svg += "</svg>"
        var caption = "<strong>\(esc(component))</strong>"
        if summary.bottlenecks.contains(component) { caption += " " + Self.tag("flat", "bottleneck: no rise with tier") }
        let lines = checks.map { s in
            let diff = s.difference.map { ReportFormat.signed($0, 3) } ?? "–"
            let interval = s.low.flatMap { l in s.high.map { " (95% CI \(ReportFormat.signed(l, 3)) to \(ReportFormat.signed($0, 3)))" } } ?? ""
            return "<li>\(esc(s.from)) → \(esc(s.to)): \(diff)\(interval) on \(s.paired) paired\(s.flat ? " " + Self.tag("flat", "flat") : "")</li>"
        }
        if !lines.isEmpty { caption += "<ul>\(lines.joined())</ul>" }
        return "<figure>\(svg)<figcaption>\(caption)</figcaption></figure>\n"
    }

    func costQualityChart() -> String {
        let (width, height, left, right, top, bottom) = (560.0, 340.0, 50.0, 100.0, 34.0, 44.0)
        // A tier whose model has no price has no place on a cost axis: it is left out, and the description says so.
        let points = summary.cells.filter { $0.mean?.isFinite == true && run.costKnown(tier: $0.tier) }
        let unknown = Set(summary.cells.filter { !run.costKnown(tier: $0.tier) }.map(\.tier)).sorted()
        let maxCost = max(points.map(\.costPerCell).filter(\.isFinite).max() ?? 0, 1e-9) * 1.1
        let scores = points.compactMap(\.mean)
        let low = min(0, scores.min() ?? 0), high = max(1, scores.max() ?? 1)
        let x = SVGScale(domain: (0, maxCost), range: (left, width - right))
        let y = SVGScale(domain: (low, high), range: (height - bottom, top))
        let desc = points.map { "\($0.component) on \($0.tier): score \(ReportFormat.fixed($0.mean, 3)) at \(ReportFormat.dollars($0.costPerCell)) per cell" }
            .joined(separator: "; ") + (unknown.isEmpty ? "" : "; left out, cost unknown (no price for the model): " + unknown.joined(separator: ", "))
        var svg = SVGChart.open(id: "cost-quality", width: Int(width), height: Int(height), title: "Mean score against cost per cell",
                                desc: desc.isEmpty ? "nothing was scored" : desc)
        svg += SVGChart.yAxis(y, ticks: SVGChart.ticks(low, high), left: left, right: width - right, decimals: 2)
        for t in SVGChart.ticks(0, maxCost) {
            svg += "<text x=\"\(SVGChart.n(x(t)))\" y=\"\(SVGChart.n(height - bottom + 16))\" text-anchor=\"middle\">$\(ReportFormat.fixed(t, 4))</text>"
        }
        svg += "<text x=\"\(SVGChart.n((left + width - right) / 2))\" y=\"\(SVGChart.n(height - 6))\" text-anchor=\"middle\">cost per cell (US dollars)</text>"
        // Marks of one tier share an x; their labels are spread apart vertically (with a leader line
        // when moved) so that close scores do not print on top of each other.
        let drawn = points.filter { $0.mean != nil && $0.costPerCell.isFinite }
        for group in Dictionary(grouping: drawn, by: \.tier).values {
            let sorted = group.sorted { y($0.mean!) < y($1.mean!) }
            let labels = Self.spread(sorted.map { y($0.mean!) + 4 }, gap: 12, low: top + 8, high: height - bottom - 2)
            for (p, labelY) in zip(sorted, labels) {
                let (px, py) = (x(p.costPerCell), y(p.mean!))
                svg += SVGChart.marker(tiers.firstIndex(of: p.tier) ?? 0, x: px, y: py)
                if abs(labelY - (py + 4)) > 0.5 {
                    svg += "<line x1=\"\(SVGChart.n(px + 4))\" y1=\"\(SVGChart.n(py))\" x2=\"\(SVGChart.n(px + 9))\" y2=\"\(SVGChart.n(labelY - 4))\" stroke=\"#8c959f\"/>"
                }
                svg += "<text x=\"\(SVGChart.n(px + 10))\" y=\"\(SVGChart.n(labelY))\">\(SVGChart.label(p.component, max: 12))</text>"
            }
        }
        for (i, tier) in tiers.enumerated() {
            let lx = left + Double(i) * 110
            svg += SVGChart.marker(i, x: lx + 6, y: 14) + "<text x=\"\(SVGChart.n(lx + 16))\" y=\"18\">\(SVGChart.label(tier))</text>"
        }
        svg += "</svg>"
        return "<figure>\(svg)<figcaption>Each mark is a component on a tier (shape and colour: tier; label: component).</figcaption></figure>\n"
    }

    /// Positions for labels wanted at `wanted` (ascending), moved the least so that neighbours are at
    /// least `gap` apart, kept within `low`...`high` where there is room.
    static func spread(_ wanted: [Double], gap: Double, low: Double, high: Double) -> [Double] {
        var out: [Double] = []
        for w in wanted { out.append(max(w, (out.last ?? -Double.infinity) + gap)) }
        // Pushed past the bottom: shift the run up, keeping the gaps, but not above the top.
        if let last = out.last, last > high {
            let shift = min(last - high, max(0, (out.first ?? low) - low))
            out = out.map { $0 - shift }
        }
        return out
    }
}
