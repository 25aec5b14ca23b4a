import AssayCore

extension HTMLPage {
    /// A `<details>` per example, failing examples first, each column's cells side by side (a tier, then
    /// the tier under each fault plan: `mid@rate_limited`). Whether an example is failing is judged on its
    /// clean cells: faulted cells fail by design.
    func examplesSection() -> String {
        var byExample: [String: [CellResult]] = [:]
        for cell in run.cells { byExample[cell.key.example, default: []].append(cell) }
        let ids = run.exampleIDs
        let failing = Set(ids.filter { id in
            byExample[id]!.contains { cell in cell.key.isClean && outcomes(cell).contains(where: \.isProblem) }
        })
        let conditions = run.conditions
        let ordered = ids.filter { failing.contains($0) } + ids.filter { !failing.contains($0) }
        var out = "<section id=\"examples\" aria-labelledby=\"examples-h\">\n<h2 id=\"examples-h\">Examples</h2>\n"
        out += "<p class=\"note\">\(ids.count) examples, \(failing.count) with a failed, crashed or unscored component"
            + "\(conditions.isEmpty ? "" : " on a clean cell"); those come first.</p>\n"
        var openedFailing = 0
        for id in ordered.prefix(options.maxExamples) {
            let cells = byExample[id]!.sorted { a, b in
                let x = (tiers.firstIndex(of: a.key.tier) ?? 0, a.key.condition.map { (conditions.firstIndex(of: $0) ?? conditions.count) + 1 } ?? 0)
                let y = (tiers.firstIndex(of: b.key.tier) ?? 0, b.key.condition.map { (conditions.firstIndex(of: $0) ?? conditions.count) + 1 } ?? 0)
                return (x.0, x.1, a.key.repeatIndex) < (y.0, y.1, b.key.repeatIndex)
            }
            // Failing examples open, so a failing component is seen without a click; passing ones stay folded.
            let open = failing.contains(id) && openedFailing < Self.maxOpenExamples
            if open { openedFailing += 1 }
            out += "<details id=\"\(HTMLPage.id("example", id))\"\(open ? " open" : "")><summary><strong>\(esc(id))</strong> "
            out += cells.map { cell in
                let worst = outcomes(cell).max { $0.severity < $1.severity }
                return "\(esc(cell.key.column))\(cell.key.repeatIndex > 0 ? " #\(cell.key.repeatIndex + 1)" : "") \(Self.tag(worst?.label ?? "unscored"))"
            }.joined(separator: " · ")
            out += "</summary>\n<div class=\"tiers\">\n"
            for cell in cells { out += cellPanel(cell) }
            out += "</div>\n</details>\n"
        }
        if ordered.count > options.maxExamples {
            out += "<p class=\"note\">\(ordered.count - options.maxExamples) more examples are not shown; the run's JSON has them all.</p>\n"
        }
        out += "</section>\n"
        return out
    }

    /// The outcomes that judge a cell: every component of the matrix, and the resilience scorers where
    /// they gave a result (they leave cells without a fault, or that passed, unscored by design).
    private func outcomes(_ cell: CellResult) -> [CellOutcome] {
        let judged = Set(matrixComponents)
        return run.components.map { CellOutcome(cell, component: $0) }.enumerated().filter { i, outcome in
            if judged.contains(run.components[i]) { return true }
            if case .unscored = outcome { return false }
            return true
        }.map(\.element)
    }

    /// At most this many failing examples are shown open; the rest stay folded to keep the page short.
    static let maxOpenExamples = 25

    private func cellPanel(_ cell: CellResult) -> String {
        let model = run.tier(named: cell.key.tier)?.model
        var out = "<div><p><strong>\(esc(cell.key.column))</strong>\(model.map { " <span class=\"meta\">\(esc($0))</span>" } ?? "")"
        if cell.key.repeatIndex > 0 { out += " · repeat \(cell.key.repeatIndex + 1)" }
        if let faults = cell.faults, !faults.isEmpty { out += "<br>faults: \(esc(faults.joined(separator: ", ")))" }
        if let restarts = cell.restarts, restarts > 0 { out += " · \(restarts) restart\(restarts == 1 ? "" : "s")" }
        out += "<br>\(Self.tag(cell.status == .ok ? "pass" : cell.status.rawValue, cell.status.rawValue)) · \(esc(run.costText(cell)))"
            + " · \(ReportFormat.seconds(cell.latencyNanos)) s · \(cell.inputTokens + cell.outputTokens) tokens"
        if let trace = cell.traceID?.description {
            out += " · <a href=\"\(HTMLPage.traceLink(trace, browser: options.traceBrowser))\">trace \(esc(String(trace.prefix(12))))</a>"
        }
        out += "</p>\n"
        if let error = cell.error { out += "<p>Error: \(esc(error))</p>\n" }
        if let stopped = cell.conversationStopped { out += "<p>Stopped: \(esc(stopped))</p>\n" }
        out += turnsList(cell)
        out += "<ul class=\"scores\">"
        for component in run.components {
            let outcome = CellOutcome(cell, component: component)
            out += "<li>\(esc(component)): \(ReportFormat.fixed(outcome.score, 3)) \(Self.tag(outcome.label))"
            if case .unscored(let reason) = outcome { out += " \(esc(reason))" }
            if let result = cell.result(component), !result.scores.isEmpty {
                out += "<ul>" + result.scores.map { s in
                    "<li>\(esc(s.scorer)) \(ReportFormat.fixed(s.value, 3)): \(esc(s.explanation))</li>"
                }.joined() + "</ul>"
            }
            out += "</li>"
        }
        out += "</ul>\n"
        if let output = cell.output {
            out += "<pre aria-label=\"output\">\(esc(ReportFormat.truncate(output, maxBytes: options.outputLimit)))</pre>\n"
        }
        out += "</div>\n"
        return out
    }

    /// Against a baseline run: per component × tier, the examples whose score moved by at least the
    /// change threshold or whose verdict flipped, regressions first.
    func changesSection() -> String {
        guard let baseline else { return "" }
        let before = baseline.outcomes, after = GateInput.run(run)
        var out = "<section id=\"changes\" aria-labelledby=\"changes-h\">\n<h2 id=\"changes-h\">Changes against the baseline</h2>\n"
        out += "<p class=\"note\">Baseline: <code>\(esc(baseline.name))</code>. Listed: examples whose mean score moved by at least "
            + "\(ReportFormat.fixed(options.changeThreshold, 2)) or whose verdict flipped.</p>\n"
        var any = false
        for cell in after.outcomes.keys.sorted() {
            guard let old = before.outcomes[cell], let new = after.outcomes[cell] else { continue }
            var changes: [(id: String, old: GateOutcome, new: GateOutcome, delta: Double)] = []
            for (id, outcome) in new {
                guard let previous = old[id], let a = previous.score, let b = outcome.score else { continue }
                let flipped = previous.passed != nil && outcome.passed != nil && previous.passed != outcome.passed
                if flipped || abs(b - a) >= options.changeThreshold { changes.append((id, previous, outcome, b - a)) }
            }
            guard !changes.isEmpty else { continue }
            any = true
            let regressed = changes.filter { $0.delta < 0 || ($0.delta == 0 && $0.new.passed == false) }.sorted { ($0.delta, $0.id) < ($1.delta, $1.id) }
            let improved = changes.filter { $0.delta > 0 || ($0.delta == 0 && $0.new.passed == true) }.sorted { (-$0.delta, $0.id) < (-$1.delta, $1.id) }
            out += "<h3>\(esc(cell.component)) on \(esc(cell.tier)): \(regressed.count) regressed, \(improved.count) improved</h3>\n"
            for (label, rows) in [("regressed", regressed), ("improved", improved)] where !rows.isEmpty {
                out += "<div class=\"scroll\"><table>\n<caption>\(Self.tag(label)) examples</caption>\n<thead><tr><th scope=\"col\">Example</th>"
                    + "<th scope=\"col\">Baseline</th><th scope=\"col\">This run</th><th scope=\"col\">Change</th></tr></thead>\n<tbody>\n"
                for row in rows.prefix(options.maxChangesPerCell) {
                    out += "<tr><th scope=\"row\"><a href=\"#\(HTMLPage.id("example", row.id))\">\(esc(row.id))</a></th>"
                        + "<td>\(Self.describe(row.old))</td><td>\(Self.describe(row.new))</td><td>\(ReportFormat.signed(row.delta, 3))</td></tr>\n"
                }
                out += "</tbody>\n</table></div>\n"
                if rows.count > options.maxChangesPerCell { out += "<p class=\"note\">\(rows.count - options.maxChangesPerCell) more \(label).</p>\n" }
            }
        }
        if !any { out += "<p>No example changed by that much.</p>\n" }
        out += "</section>\n"
        return out
    }

    private static func describe(_ outcome: GateOutcome) -> String {
        let verdict = outcome.passed.map { $0 ? tag("pass") : tag("fail") } ?? ""
        return "\(ReportFormat.fixed(outcome.score, 3)) \(verdict)"
    }
}

extension CellOutcome {
    /// Failed, crashed or unscored.
    var isProblem: Bool {
        if case .passed = self { return false }
        return true
    }

    /// How bad, for picking the worst of a cell's components: pass < unscored < fail < error.
    var severity: Int {
        switch self {
        case .passed: 0
        case .unscored: 1
        case .failed: 2
        case .error: 3
        }
    }
}
