package import AssayCore

/// A run in Markdown for a pull-request comment or a CI step summary, always under 60 KB.
///
/// A verdict line; the component × tier matrix (clean cells); bottlenecks; with fault plans, resilience
/// (the findings and a plan × tier recovery table); routing; the gate's decisions (regressions first);
/// the top failing examples (clean cells). Every section caps its rows and says "N more"; data is escaped for
/// Markdown and HTML (`MarkdownText`) and cut to one line of at most 120 characters. A final guard cuts
/// the text at a line boundary if it would still exceed `maxBytes`. GitHub step summaries take 1 MiB and
/// comments 65,536 characters, so the default of 60,000 bytes fits both.
///
/// ```swift
/// let md = MarkdownSummary.write(run: record, summary: RunSummary(record), gate: report)
/// ```
package enum MarkdownSummary {
    /// The default size limit, in bytes of UTF-8.
    package static let defaultMaxBytes = 60_000

    /// The summary.
    /// - Parameters:
    ///   - run: the run.
    ///   - summary: its summary.
    ///   - gate: the gate's report, when the run was gated.
    ///   - maxBytes: the size limit; default 60,000 bytes.
    package static func write(run: RunRecord, summary: RunSummary, gate: GateReport?, maxBytes: Int = defaultMaxBytes) -> String {
        var out = "## \(verdict(gate)) Assay run \(MarkdownText.escape(run.id, limit: 80))\n\n"
        let failed = run.conditions.isEmpty ? "\(summary.failedCells) failed" : "\(summary.failedCells) clean cells failed"
        out += "\(summary.totalCells) cells (\(failed)), \(run.components.count) components × \(run.tiers.count) tiers, "
            + "total cost \(MarkdownText.escape(run.totalCostText(summary), limit: 300)).\n\n"
        if let gateway = run.gatewaySummary { out += MarkdownText.escape(gateway.prefix(1).uppercased() + gateway.dropFirst(), limit: 300) + ".\n\n" }
        if summary.spanlessCells > 0 {
            out += "**\(summary.spanlessCells) of \(summary.totalCells) cells got no spans from the agent**: no component was judged there "
                + "(export spans to ASSAY_TRACE_FILE and propagate TRACEPARENT).\n\n"
        }
        if summary.failedCells > 0 {
            out += "Why cells failed:\n\n" + summary.failureReasons.prefix(10).map { f in
                "- \(f.count) × \(MarkdownText.escape(f.reason, limit: 300)) (e.g. \(MarkdownText.escape(f.example, limit: 80)))\n"
            }.joined() + "\n"
        }
        out += matrix(run: run, summary: summary, gate: gate)
        if !summary.bottlenecks.isEmpty {
            out += "### Bottlenecks\n\nNo rise from the lowest to the highest tier beyond noise: "
                + summary.bottlenecks.prefix(20).map { MarkdownText.escape($0, limit: 60) }.joined(separator: ", ")
                + (summary.bottlenecks.count > 20 ? ", and \(summary.bottlenecks.count - 20) more" : "") + ".\n\n"
        }
        if !summary.unjudged.isEmpty {
            out += "Scaling not judged (not scored on two tiers for the same examples): "
                + summary.unjudged.prefix(20).map { MarkdownText.escape($0, limit: 60) }.joined(separator: ", ") + ".\n\n"
        }
        out += resilience(ResilienceSummary(run))
        out += routing(summary)
        if let gate { out += "**Gate:** \(MarkdownText.escape(gate.verdictLine, limit: 2000))\n\n" + gateTable(gate) }
        out += failing(run: run, components: run.components.filter { c in summary.cells.contains { $0.component == c } })
        return fit(out, maxBytes: maxBytes)
    }

    private static func verdict(_ gate: GateReport?) -> String {
        guard let gate else { return "⚪ Not gated:" }
        if gate.failed { return "❌ Failed the gate:" }
        if gate.passedClean { return "✅ Passed the gate:" }
        return gate.checked ? "⚠️ Passed, with cells not judged:" : "⚪ Nothing checked:"
    }

    private static func matrix(run: RunRecord, summary: RunSummary, gate: GateReport?) -> String {
        let tiers = Array(run.tiers.map(\.name).prefix(8))
        var out = "### Component × tier\n\nMean score ± half the 95% interval · pass rate · cost per cell · latency p50.\n\n"
        out += "| Component | " + tiers.map { MarkdownText.escape($0, limit: 30) }.joined(separator: " | ") + " |\n"
        out += "|---|" + tiers.map { _ in "---|" }.joined() + "\n"
        // The resilience scorers are in the resilience section, not the clean matrix.
        let components = run.components.filter { c in summary.cells.contains { $0.component == c } }
        for component in components.prefix(40) {
            let threshold = run.threshold(component)
            var row = "| \(MarkdownText.escape(component, limit: 40)) |"
            for tier in tiers {
                guard let c = summary.cell(component, tier), let mean = c.mean else { row += " – |"; continue }
                let half = c.low.flatMap { low in c.high.map { ($0 - low) / 2 } }
                let below = threshold.map { mean < $0 } ?? false
                var text = "\(below ? "**" : "")\(ReportFormat.fixed(mean, 3))\(below ? "** ▼" : "")"
                if let half { text += " ± \(ReportFormat.fixed(half, 3))" }
                text += " · \(ReportFormat.percent(c.passRate)) · \(run.costText(perCell: c)) · \(ReportFormat.seconds(c.latencyP50)) s"
                if let v = gate?.decision(component, tier)?.verdict, v != .unchanged { text += " · \(v.code)" }
                row += " \(text) |"
            }
            out += row + "\n"
        }
        if components.count > 40 { out += "\n\(components.count - 40) more components.\n" }
        if run.tiers.count > 8 { out += "\n\(run.tiers.count - 8) more tiers.\n" }
        return out + "\n▼ below the component's threshold.\n\n"
    }

    /// The fault plans: the findings (bottlenecks first) and the recovery rate per plan × tier.
    private static func resilience(_ r: ResilienceSummary) -> String {
        guard !r.isEmpty else { return "" }
        var out = "### Resilience\n\n"
        out += r.findings.prefix(30).map { f in
            let text = MarkdownText.escape(f.text, limit: 400)
            return f.kind == .bottleneck ? "- **\(text)**\n" : "- \(text)\n"
        }.joined()
        if r.findings.count > 30 { out += "\n\(r.findings.count - 30) more findings.\n" }
        let tiers = Array(r.tiers.prefix(8))
        out += "\nRecovery (of the examples that pass on the tier's clean cells, the share that still pass under the fault) · failed cells:\n\n"
        out += "| Fault plan | " + tiers.map { MarkdownText.escape($0, limit: 30) }.joined(separator: " | ") + " |\n"
        out += "|---|" + tiers.map { _ in "---|" }.joined() + "\n"
        for condition in r.conditions.prefix(20) {
            let bottleneck = r.verdict(condition)?.kind == .bottleneck
            var row = "| \(MarkdownText.escape(condition, limit: 40))\(bottleneck ? " ▼" : "") |"
            for tier in tiers {
                guard let c = r.column(condition, tier) else { row += " – |"; continue }
                row += " \(ReportFormat.fixed(c.recovery, 2)) · \(c.failedCells)/\(c.cells) |"
            }
            out += row + "\n"
        }
        if r.conditions.count > 20 { out += "\n\(r.conditions.count - 20) more fault plans.\n" }
        return out + "\n▼ a harness bottleneck: recovery does not rise with the model.\n\n"
    }

    private static func routing(_ summary: RunSummary) -> String {
        guard !summary.routing.isEmpty else { return "" }
        var out = "### Routing\n\n| Component | Use | Why |\n|---|---|---|\n"
        for r in summary.routing.prefix(40) {
            out += "| \(MarkdownText.escape(r.component, limit: 40)) | \(r.tier.map { MarkdownText.escape($0, limit: 30) } ?? "none") | "
                + "\(MarkdownText.escape(r.reason, limit: 200)) |\n"
        }
        if summary.routing.count > 40 { out += "\n\(summary.routing.count - 40) more components.\n" }
        return out + "\n"
    }

    private static func gateTable(_ gate: GateReport) -> String {
        let order: (GateDecision) -> Int = { d in
            switch d.verdict { case .regressed: 0
            case .inconclusive: 1
            case .improved: 2
            case .unchanged: 3 }
        }
        let decisions = gate.decisions.enumerated().sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }.map(\.element)
            .filter { $0.verdict != .unchanged }
        let unchanged = gate.decisions.count - decisions.count
        let tail = unchanged > 0 ? "\(unchanged) cell\(unchanged == 1 ? "" : "s") unchanged.\n\n" : ""
        guard !decisions.isEmpty else { return "### Gate\n\n\(tail)" }
        var out = "### Gate\n\n| Component | Tier | Verdict | Change | Explanation |\n|---|---|---|---|---|\n"
        for d in decisions.prefix(30) {
            out += "| \(MarkdownText.escape(d.cell.component, limit: 40)) | \(MarkdownText.escape(d.cell.tier, limit: 30)) | "
                + "\(d.verdict == .regressed ? "**regressed**" : d.verdict.description) | \(d.meanDifference.map { ReportFormat.signed($0, 3) } ?? "–") | "
                + "\(MarkdownText.escape(d.explanation, limit: 300)) |\n"
        }
        if decisions.count > 30 { out += "\n\(decisions.count - 30) more cells.\n" }
        return out + "\n" + tail
    }

    /// The worst component results of clean cells, over the matrix's components.
    private static func failing(run: RunRecord, components: [String]) -> String {
        var rows: [(severity: Int, score: Double, line: String)] = []
        // Faulted cells fail by design: the resilience section speaks for them.
        for cell in run.cells where cell.key.isClean {
            for component in components {
                let outcome = CellOutcome(cell, component: component)
                guard outcome.severity >= 2 else { continue }
                let why: String
                switch outcome {
                case .error: why = cell.error ?? cell.status.rawValue
                default: why = cell.result(component).map(JUnitCaseBuilder.explanation) ?? ""
                }
                let example = cell.key.repeatIndex > 0 ? "\(cell.key.example) #\(cell.key.repeatIndex + 1)" : cell.key.example
                rows.append((outcome.severity, outcome.score ?? -1,
                             "| \(MarkdownText.escape(example, limit: 60)) | \(MarkdownText.escape(component, limit: 40)) | "
                                 + "\(MarkdownText.escape(cell.key.tier, limit: 30)) | \(outcome.label) \(ReportFormat.fixed(outcome.score, 3)) | "
                                 + "\(MarkdownText.escape(why, limit: 120)) |"))
            }
        }
        guard !rows.isEmpty else { return "No failing examples.\n" }
        rows.sort { ($1.severity, $0.score) < ($0.severity, $1.score) }
        var out = "### Top failing examples\n\n| Example | Component | Tier | Outcome | Why |\n|---|---|---|---|---|\n"
        out += rows.prefix(25).map(\.line).joined(separator: "\n") + "\n"
        if rows.count > 25 { out += "\n\(rows.count - 25) more failing, crashed or timed-out component results.\n" }
        return out
    }

    /// The text, cut at a line boundary with a note when it exceeds `maxBytes`.
    static func fit(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        let note = "\n… the summary was cut to stay under \(ReportFormat.grouped(maxBytes)) bytes; the HTML report has everything.\n"
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if out.utf8.count + line.utf8.count + 1 + note.utf8.count > maxBytes { break }
            out += line + "\n"
        }
        return out + note
    }
}
