import AssayCore

extension HTMLPage {
    /// The fault plans' effect: per plan a matrix of component × tier with the mean under the fault and
    /// its change against the clean cells (the recovery row first, bottleneck plans marked), the faults
    /// injected and failed cells per tier, and the findings (bottlenecks first). Empty without plans.
    func resilienceSection() -> String {
        guard !resilience.isEmpty else { return "" }
        var out = "<section id=\"resilience\" aria-labelledby=\"resilience-h\">\n<h2 id=\"resilience-h\">Resilience</h2>\n"
        out += "<p class=\"note\">Every example also ran on every tier under each fault plan. Each cell: the mean score under the fault, "
            + "then its change against the same tier's clean cells (paired by example; a failed cell counts as 0). The row recovered is "
            + "the share of faulted cells that still passed end to end; the findings' recovery counts only the examples that pass "
            + "on the tier's clean cells, so that a tier is not blamed for what it fails without the fault.</p>\n"
        out += findingsList()
        for condition in resilience.conditions { out += resilienceMatrix(condition) }
        out += "</section>\n"
        return out
    }

    /// The findings, in the summary's order: bottlenecks, handled, rising, flat, hurt components, unjudged.
    private func findingsList() -> String {
        guard !resilience.findings.isEmpty else { return "" }
        return "<ul class=\"findings\">\n" + resilience.findings.map { f in
            return "<li>\(Self.kindTag(f.kind)) \(f.kind == .bottleneck ? "<strong>\(esc(f.text))</strong>" : esc(f.text))</li>\n"
        }.joined() + "</ul>\n"
    }

    /// One plan's component × tier matrix.
    private func resilienceMatrix(_ condition: String) -> String {
        let verdict = resilience.verdict(condition)
        let bottleneck = verdict?.kind == .bottleneck
        let headingID = HTMLPage.id("resilience", condition)
        var out = "<h3 id=\"\(headingID)\">Under <code>\(esc(condition))</code>"
        if let verdict { out += " " + Self.kindTag(verdict.kind) }
        out += "</h3>\n<div class=\"scroll\" role=\"region\" aria-labelledby=\"\(headingID)\" tabindex=\"0\">\n<table class=\"matrix resilience\">\n"
        out += "<caption>Mean under the fault, change against clean (and its 95% interval), examples paired.</caption>\n"
        out += "<thead><tr><th scope=\"col\">Component</th>"
        for tier in resilience.tiers { out += "<th scope=\"col\">\(esc(tier))<br><span class=\"meta\">\(esc("\(tier)@\(condition)"))</span></th>" }
        out += "</tr></thead>\n<tbody>\n"
        let recovery = ResilienceSummary.recoveryComponent
        let components = run.components.filter { $0 == recovery } + run.components.filter { $0 != recovery }
        for component in components {
            let isRecovery = component == recovery
            out += "<tr><th scope=\"row\">\(esc(component))\(isRecovery ? "<br><span class=\"meta\">passes end to end</span>" : "")</th>"
            for tier in resilience.tiers {
                guard let c = resilience.cell(condition, tier, component), let mean = c.mean else {
                    out += "<td class=\"hn\">–</td>"
                    continue
                }
                var text = "<span class=\"score\">\(ReportFormat.fixed(mean, 2))</span>"
                if let drop = c.drop { text += " " + Self.change(-drop) }
                if let low = c.low, let high = c.high, c.paired > 1 {
                    text += "<br><span class=\"meta\">drop \(ReportFormat.fixed(low, 2)) to \(ReportFormat.fixed(high, 2)), n=\(c.paired)</span>"
                }
                if c.hurt && !isRecovery { text += " " + Self.tag("flat", "hurt") }
                if isRecovery && bottleneck { text += " " + Self.tag("fail", "bottleneck") }
                out += "<td class=\"\(Self.heat(mean))\(isRecovery && bottleneck ? " bottleneck" : "")\">\(text)</td>"
            }
            out += "</tr>\n"
        }
        out += "<tr><th scope=\"row\">cells</th>"
        for tier in resilience.tiers {
            guard let column = resilience.column(condition, tier) else { out += "<td>–</td>"; continue }
            var text = "\(column.failedCells) of \(column.cells) failed"
            if column.restarts > 0 { text += " · \(column.restarts) restart\(column.restarts == 1 ? "" : "s")" }
            if !column.faults.isEmpty {
                text += "<br>" + column.faults.sorted { $0.key < $1.key }.map { "\(esc($0.key)) × \($0.value)" }.joined(separator: ", ")
            }
            if let reason = column.failureReasons.first { text += "<br><span class=\"meta\">\(reason.count) × \(esc(reason.reason))</span>" }
            out += "<td>\(text)</td>"
        }
        out += "</tr>\n</tbody>\n</table>\n</div>\n"
        return out
    }

    /// A change against clean: `−0.38`, `+0.05`, with a true minus sign.
    static func change(_ value: Double) -> String {
        let text = ReportFormat.signed(value, 2)
        if text == "-0.00" { return "+0.00" }
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    private static func kindTag(_ kind: ResilienceSummary.Finding.Kind) -> String {
        switch kind {
        case .bottleneck: tag("fail", "harness bottleneck")
        case .handled: tag("pass", "handled")
        case .rising: tag("improved", "a stronger model recovers")
        case .flat: tag("unchanged", "near the top")
        case .hurt: tag("flat", "hurt")
        case .unjudged: tag("inconclusive", "not judged")
        }
    }
}
