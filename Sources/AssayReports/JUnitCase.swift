import AssayCore

/// One `<testcase>` before it is written.
struct JUnitCase {
    enum Kind: Equatable { case passed, failure, error, skipped }

    var name: String
    var nanos: UInt64
    var kind: Kind
    /// The `type` attribute of a failure or error.
    var type: String = ""
    var message: String = ""
    var body: String = ""
    var score: Double?
    var traceID: String?

    /// The element, indented for a suite.
    func xml(classname: String) -> String {
        let open = "    <testcase name=\"\(MarkupText.xmlAttribute(name))\" classname=\"\(MarkupText.xmlAttribute(classname))\" time=\"\(ReportFormat.seconds(nanos))\""
        let message = MarkupText.xmlAttribute(message)
        let body = MarkupText.xmlText(body)
        switch kind {
        case .passed: return open + "/>\n"
        case .failure: return open + ">\n      <failure message=\"\(message)\" type=\"\(MarkupText.xmlAttribute(type))\">\(body)</failure>\n    </testcase>\n"
        case .error: return open + ">\n      <error message=\"\(message)\" type=\"\(MarkupText.xmlAttribute(type))\">\(body)</error>\n    </testcase>\n"
        case .skipped: return open + ">\n      <skipped message=\"\(message)\">\(body)</skipped>\n    </testcase>\n"
        }
    }
}

/// Builds the cases of one component × tier from a run's cells, spending the report's output budget.
struct JUnitCaseBuilder {
    let run: RunRecord
    let options: JUnitReport.Options
    /// Output bytes still allowed in the report.
    private var budget: Int

    init(run: RunRecord, options: JUnitReport.Options) {
        self.run = run
        self.options = options
        budget = options.totalOutputLimit
    }

    /// One case per cell of the column (a tier, or a tier under a fault plan: `mid@rate_limited`), in
    /// example and repeat order.
    mutating func cases(component: String, tier column: String) -> [JUnitCase] {
        run.cells.filter { $0.key.column == column }.sorted { $0.key < $1.key }.map { cell in
            makeCase(cell, component: component)
        }
    }

    private mutating func makeCase(_ cell: CellResult, component: String) -> JUnitCase {
        let base = JUnitReport.token(cell.key.example).isEmpty ? "(no id)" : JUnitReport.token(cell.key.example)
        let name = cell.key.repeatIndex > 0 ? "\(base)#r\(cell.key.repeatIndex + 1)" : base
        let outcome = CellOutcome(cell, component: component)
        var c = JUnitCase(name: name, nanos: cell.latencyNanos, kind: .passed, score: outcome.score, traceID: cell.traceID?.description)
        let threshold = cell.result(component)?.threshold ?? run.threshold(component)
        let thresholdText = threshold.map { ReportFormat.fixed($0, 3) } ?? "every scorer passing"
        switch outcome {
        case .passed:
            return c
        case .failed(let score):
            c.kind = .failure
            c.type = "assay.below_threshold"
            let why = cell.result(component).map(Self.explanation) ?? ""
            c.message = limit("score \(ReportFormat.fixed(score, 3)) below threshold \(thresholdText)\(why.isEmpty ? "" : ": \(why)")")
            c.body = details(cell, component: component, threshold: thresholdText) + output(cell)
        case .error(let status):
            c.kind = .error
            c.type = status == .timeout ? "assay.timeout" : "assay.error"
            let what = status == .timeout ? "the cell timed out" : "the cell failed"
            c.message = limit("\(what) after \(cell.attempts) attempt\(cell.attempts == 1 ? "" : "s")\(cell.error.map { ": \($0)" } ?? "")")
            c.body = details(cell, component: component, threshold: thresholdText) + output(cell)
        case .unscored(let reason):
            c.kind = .skipped
            c.message = limit("unscored: \(reason)")
            c.body = details(cell, component: component, threshold: thresholdText)
        }
        return c
    }

    /// The failing scorers' explanations, `scorer: why; scorer: why` (all of them when none failed).
    static func explanation(_ result: ComponentResult) -> String {
        let failing = result.scores.filter { $0.passed == false }
        return (failing.isEmpty ? result.scores : failing).map { "\($0.scorer): \($0.explanation)" }.joined(separator: "; ")
    }

    private func details(_ cell: CellResult, component: String, threshold: String) -> String {
        var lines: [String] = []
        if let result = cell.result(component) {
            lines.append("score: \(ReportFormat.fixed(result.value, 3)) (threshold \(threshold))")
            for s in result.scores {
                // Written without a closure over `s`: Swift 6.3.1's CopyPropagation crashed on that form in -O builds.
                var verdict = "unscored"
                if let value = s.value { verdict = ReportFormat.fixed(value, 3) + (s.passed == true ? " pass" : " fail") }
                lines.append("  " + s.scorer + " [" + s.kind.name + "] " + verdict + ": " + s.explanation)
            }
        }
        let model = run.tier(named: cell.key.tier)?.model ?? "unknown"
        lines.append("tier: \(cell.key.tier) (model \(model))\(cell.key.condition.map { ", fault plan \($0)" } ?? ""), "
            + "repeat \(cell.key.repeatIndex + 1), attempts \(cell.attempts)")
        if let faults = cell.faults, !faults.isEmpty { lines.append("faults injected: \(faults.joined(separator: ", "))") }
        if let restarts = cell.restarts { lines.append("restarts: \(restarts)") }
        lines.append("cost: \(run.costText(cell)), latency: \(ReportFormat.seconds(cell.latencyNanos)) s, "
            + "tokens: \(cell.inputTokens) in, \(cell.outputTokens) out")
        if let trace = cell.traceID { lines.append("trace: \(trace) (traces.html#trace=\(trace))") }
        if let error = cell.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The observed output, trimmed to the per-case limit and what is left of the report's budget.
    private mutating func output(_ cell: CellResult) -> String {
        guard let output = cell.output else { return "output: none\n" }
        guard budget > 0 else {
            return "output: omitted, the report's output budget (\(ReportFormat.grouped(options.totalOutputLimit)) bytes) is spent\n"
        }
        let trimmed = ReportFormat.truncate(MarkupText.clean(output), maxBytes: min(options.outputLimit, budget))
        budget -= min(trimmed.utf8.count, budget)
        return "output:\n\(trimmed)\n"
    }

    private func limit(_ text: String) -> String {
        ReportFormat.truncate(MarkupText.clean(text), maxBytes: options.messageLimit)
    }

    /// The checks that need no baseline, in the suite they concern: a floor in its component × tier,
    /// a gated tier's failed cells in the tier's first component.
    static func checkCases(_ gate: GateReport, cell: GateCell, firstOfTier: Bool) -> [JUnitCase] {
        var out: [JUnitCase] = []
        for f in gate.floors where f.cell == cell {
            var c = JUnitCase(name: "[gate] \(f.measure) floor of \(JUnitReport.token(cell.component)) on \(JUnitReport.token(cell.tier))", nanos: 0, kind: .passed)
            if f.failed {
                c.kind = .failure
                c.type = "assay.gate.floor"
                c.message = "\(f.measure) \(ReportFormat.fixed(f.estimate, 3)) is below the floor \(ReportFormat.fixed(f.floor, 3)) beyond doubt "
                    + "(95% upper bound \(ReportFormat.fixed(f.upper, 3)) on \(f.examples) examples)"
            }
            out.append(c)
        }
        if firstOfTier, let r = gate.reliability.first(where: { $0.tier == cell.tier }) {
            var c = JUnitCase(name: "[gate] failed cells on \(JUnitReport.token(cell.tier))", nanos: 0, kind: .passed)
            if r.failed {
                c.kind = .failure
                c.type = "assay.gate.failed_cells"
                c.message = "\(r.candidate.failed) of \(r.candidate.cells) cells failed (crashed, timed out or did not start; \(r.candidate.timedOut) timed out); "
                    + "allowed share \(ReportFormat.percent(r.allowed))"
            }
            out.append(c)
        }
        return out
    }

    /// The aggregate case of a cell carrying the gate's verdict.
    static func gateCase(_ decision: GateDecision?, cell: GateCell, failsInconclusive: Bool = false, messageLimit: Int) -> JUnitCase {
        var c = JUnitCase(name: "[gate] \(JUnitReport.token(cell.component)) on \(JUnitReport.token(cell.tier))", nanos: 0, kind: .passed)
        guard let decision else {
            c.kind = .skipped
            c.message = "the gate made no decision for this cell"
            return c
        }
        let message = ReportFormat.truncate(MarkupText.clean("\(decision.verdict): \(decision.explanation)"), maxBytes: messageLimit)
        var body = "verdict: \(decision.verdict)\nmethod: \(decision.method)\nshared examples: \(decision.shared), dropped: \(decision.dropped)\n"
        if let mean = decision.meanDifference { body += "mean difference: \(ReportFormat.signed(mean, 3))\n" }
        if let low = decision.low, let high = decision.high { body += "interval: \(ReportFormat.signed(low, 3)) to \(ReportFormat.signed(high, 3))\n" }
        if let p = decision.adjustedPValue { body += "Holm-adjusted p: \(ReportFormat.fixed(p, 4))\n" }
        body += "\(decision.explanation)\n"
        guard decision.gated else { return c }
        switch decision.verdict {
        case .regressed:
            c.kind = .failure
            c.type = "assay.gate.regressed"
        case .inconclusive:
            c.kind = failsInconclusive ? .failure : .skipped
            if failsInconclusive { c.type = "assay.gate.inconclusive" }
        case .improved, .unchanged:
            return c
        }
        c.message = message
        c.body = body
        return c
    }
}
