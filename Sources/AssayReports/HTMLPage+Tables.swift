import AssayCore

extension HTMLPage {
    func matrixSection() -> String {
        var out = "<section id=\"matrix\" aria-labelledby=\"matrix-h\">\n<h2 id=\"matrix-h\">Component × tier</h2>\n"
        out += "<div class=\"scroll\" role=\"region\" aria-labelledby=\"matrix-h\" tabindex=\"0\">\n<table class=\"matrix\">\n"
        out += "<caption>Mean score ± half the 95% interval, pass rate, cost per cell and latency p50/p95. "
            + "Colour follows the score; \"below threshold\" is also written out.</caption>\n<thead><tr><th scope=\"col\">Component</th>"
        for tier in tiers {
            let model = run.tier(named: tier)?.model
            out += "<th scope=\"col\">\(esc(tier))\(model.map { "<br><span class=\"meta\">\(esc($0))</span>" } ?? "")</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for component in matrixComponents {
            let threshold = run.threshold(component)
            out += "<tr><th scope=\"row\">\(esc(component))\(threshold.map { "<br><span class=\"meta\">threshold \(ReportFormat.fixed($0, 2))</span>" } ?? "")</th>"
            for tier in tiers {
                guard let c = summary.cell(component, tier) else { out += "<td class=\"hn\">not run</td>"; continue }
                var text = ""
                if let mean = c.mean {
                    let half = c.low.flatMap { low in c.high.map { ($0 - low) / 2 } }
                    text += "<span class=\"score\">\(ReportFormat.fixed(mean, 3))</span>\(half.map { " ± \(ReportFormat.fixed($0, 3))" } ?? "")"
                    if let threshold, mean < threshold { text += " " + Self.tag("fail", "below threshold") }
                } else {
                    text += "<span class=\"score\">–</span> " + Self.tag("unscored", "nothing scored")
                }
                text += "<br>pass \(ReportFormat.percent(c.passRate)) · \(c.scored) scored"
                if c.unscored > 0 { text += ", \(c.unscored) unscored" }
                text += "<br>\(esc(run.costText(perCell: c)))/cell · p50 \(ReportFormat.seconds(c.latencyP50)) s · p95 \(ReportFormat.seconds(c.latencyP95)) s"
                if let decision = gate?.decision(component, tier) { text += "<br>gate " + Self.tag(decision.verdict.code, decision.verdict.description) }
                out += "<td class=\"\(Self.heat(c.mean))\">\(text)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n</section>\n"
        return out
    }

    func routingSection() -> String {
        var out = "<section id=\"routing\" aria-labelledby=\"routing-h\">\n<h2 id=\"routing-h\">Routing advice</h2>\n"
        out += "<div class=\"scroll\"><table>\n<caption>The cheapest tier within the margin of the best that meets the threshold.</caption>\n"
        out += "<thead><tr><th scope=\"col\">Component</th><th scope=\"col\">Use</th><th scope=\"col\">Best tier</th>"
            + "<th scope=\"col\">Saving per cell</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n"
        for r in summary.routing {
            let saving = r.savingPerCell.map { "\(ReportFormat.dollars($0)) (\(ReportFormat.percent(r.savingShare)))" } ?? "–"
            let best = r.bestTier.map { "\(esc($0)) (\(ReportFormat.fixed(r.bestMean, 3)))" } ?? "–"
            out += "<tr><th scope=\"row\">\(esc(r.component))</th><td>\(r.tier.map { "<strong>\(esc($0))</strong>" } ?? Self.tag("fail", "no tier qualifies"))</td>"
                + "<td>\(best)</td><td>\(saving)</td><td>\(esc(r.reason))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
        return out
    }

    func gateSection() -> String {
        guard let gate else { return "" }
        var out = "<section id=\"gate\" aria-labelledby=\"gate-h\">\n<h2 id=\"gate-h\">Gate decisions</h2>\n"
        let c = gate.configuration
        out += "<p class=\"note\">alpha \(ReportFormat.fixed(c.alpha, 3)), minimum effect \(ReportFormat.fixed(c.minEffect, 3)), "
            + "Holm's correction over \(gate.decisions.count) cells, seed \(c.seed).</p>\n"
        out += "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Component</th><th scope=\"col\">Tier</th><th scope=\"col\">Verdict</th>"
            + "<th scope=\"col\">Change</th><th scope=\"col\">Interval</th><th scope=\"col\">Shared</th><th scope=\"col\">Explanation</th></tr></thead>\n<tbody>\n"
        let ordered = gate.decisions(.regressed) + gate.decisions.filter { $0.verdict != .regressed }
        for d in ordered {
            let interval = d.low.flatMap { low in d.high.map { "\(ReportFormat.signed(low, 3)) to \(ReportFormat.signed($0, 3))" } } ?? "–"
            out += "<tr><th scope=\"row\">\(esc(d.cell.component))</th><td>\(esc(d.cell.tier))</td>"
                + "<td>\(Self.tag(d.verdict.code, d.verdict.description))</td><td>\(d.meanDifference.map { ReportFormat.signed($0, 3) } ?? "–")</td>"
                + "<td>\(interval)</td><td>\(d.shared)</td><td>\(esc(d.explanation))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
        return out
    }
}
