package import AssayCore
import Foundation

/// A run as JUnit XML, for the test-report views of Jenkins, GitLab, GitHub Actions and Azure.
///
/// The layout, chosen to validate against both the strict Ant schema and Jenkins' lenient junit-10
/// schema (`Tests/AssayReportsTests/Schemas`), and to read well in CI:
/// - `<testsuites>` with no attributes (the Ant schema allows none), holding one `<testsuite>` per
///   component × column named `assay.COMPONENT.TIER`, or `assay.COMPONENT.TIER@PLAN` for the cells run
///   under a fault plan (the clean tiers first, then each plan's tiers in the suite's order; a faulted
///   suite's properties add `condition`, the score against `clean_score`, `drop`, `recovery`, `faults`),
///   with the `package` (`assay.COMPONENT`) and `id` (0, 1, …) the Ant schema requires of aggregated
///   suites, a `timestamp` in UTC without a zone, the `hostname`, and `tests`, `failures`, `errors`,
///   `skipped` and `time` counted from its cases.
/// - One `<testcase>` per example × repeat, classname `assay.COMPONENT.TIER` (GitLab shows it as the
///   suite; Jenkins as package `assay.COMPONENT`, class `TIER`), name the example id (`#r2`, `#r3` for
///   later repeats; `#dup2` when a name would repeat), `time` the cell's latency. A score below the
///   threshold is a `<failure>`, a crashed or timed-out cell an `<error>`, an unscored component
///   `<skipped>`. The failure's message holds score, threshold and the scorers' explanation; its body the
///   per-case facts (scorers, tier, model, cost, latency, tokens, trace id) and the trimmed observed output,
///   which is where Jenkins, GitLab and the GitHub reporters show text for a failed test. (The Ant schema
///   allows no `system-out` or `properties` inside a testcase.)
/// - With a gate report, one more testcase per suite, `[gate] COMPONENT on TIER`: a failure when the gate
///   says regressed, skipped when inconclusive, passed otherwise; the message is the decision's explanation.
/// - The suite's `<properties>`: run, component, tier, model, threshold, mean score and interval, pass
///   rate, cost, latency p50/p95, tokens, the gate's verdict, and each case's score and trace id
///   (`case.NAME.score`, `case.NAME.trace_id`). Its `<system-out>` is a short summary of the cell.
///
/// Times are seconds with a `.` and exactly three decimals from integer nanoseconds, in any locale. Text
/// loses XML-illegal characters (`MarkupText`), and outputs are cut to `Options.outputLimit` bytes each
/// and `Options.totalOutputLimit` in all (GitLab refuses reports over 30 MB).
///
/// ```swift
/// let xml = JUnitReport.write(run: record, summary: RunSummary(record), gate: report)
/// try xml.write(toFile: "Reports/junit.xml", atomically: true, encoding: .utf8)
/// ```
package enum JUnitReport {
    /// Limits and environment of the report.
    package struct Options: Sendable {
        /// The host name written on every suite; nil (the default): this machine's, `localhost` when unknown.
        package var hostname: String?
        /// The most bytes of observed output shown per failed case; default 4,096.
        package var outputLimit: Int
        /// The most bytes of observed output in the whole report; default 8 MiB. Later cases say so.
        package var totalOutputLimit: Int
        /// The most bytes of a failure message (the one-line summary CI shows); default 1,024.
        package var messageLimit: Int
        /// Whether each case's score and trace id are written as suite properties; default true.
        package var caseProperties: Bool

        /// Creates options.
        package init(hostname: String? = nil, outputLimit: Int = 4096, totalOutputLimit: Int = 8 << 20,
                    messageLimit: Int = 1024, caseProperties: Bool = true) {
            self.hostname = hostname
            self.outputLimit = outputLimit
            self.totalOutputLimit = totalOutputLimit
            self.messageLimit = messageLimit
            self.caseProperties = caseProperties
        }
    }

    /// The JUnit XML document of a run.
    /// - Parameters:
    ///   - run: the run.
    ///   - summary: its summary (`RunSummary(run)`).
    ///   - gate: the gate's report against a baseline, when there is one.
    ///   - options: limits and the host name.
    package static func write(run: RunRecord, summary: RunSummary, gate: GateReport?, options: Options = Options()) -> String {
        var writer = JUnitCaseBuilder(run: run, options: options)
        let resilience = ResilienceSummary(run)
        let host = token(options.hostname ?? ProcessInfo.processInfo.hostName)
        let hostname = host.isEmpty ? "localhost" : host
        let timestamp = JUnitTimestamp.format(nanos: run.startedAtUnixNano)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for (id, cell) in suiteCells(run: run, gate: gate).enumerated() {
            let classname = token("assay.\(cell.component).\(cell.tier)")
            var cases = writer.cases(component: cell.component, tier: cell.tier)
            if let gate {
                if gate.compared {
                    cases.append(JUnitCaseBuilder.gateCase(gate.decision(cell.component, cell.tier), cell: cell,
                                                           failsInconclusive: gate.configuration.inconclusiveFails, messageLimit: options.messageLimit))
                }
                cases += JUnitCaseBuilder.checkCases(gate, cell: cell, firstOfTier: run.components.first == cell.component)
            }
            var used = Set<String>()
            for i in cases.indices { cases[i].name = unique(cases[i].name, in: &used) }
            let nanos = cases.reduce(UInt64(0)) { $0 &+ $1.nanos }
            out += "  <testsuite name=\"\(MarkupText.xmlAttribute(classname))\" package=\"\(MarkupText.xmlAttribute(token("assay.\(cell.component)")))\""
            out += " id=\"\(id)\" timestamp=\"\(timestamp)\" hostname=\"\(MarkupText.xmlAttribute(hostname))\""
            out += " tests=\"\(cases.count)\" failures=\"\(cases.count { $0.kind == .failure })\""
            out += " errors=\"\(cases.count { $0.kind == .error })\" skipped=\"\(cases.count { $0.kind == .skipped })\""
            out += " time=\"\(ReportFormat.seconds(nanos))\">\n"
            out += "    <properties>\n"
            for (name, value) in properties(run: run, summary: summary, resilience: resilience, gate: gate, cell: cell, cases: cases, options: options) {
                out += "      <property name=\"\(MarkupText.xmlAttribute(token(name)))\" value=\"\(MarkupText.xmlAttribute(value))\"/>\n"
            }
            out += "    </properties>\n"
            for c in cases { out += c.xml(classname: classname) }
            out += "    <system-out>\(MarkupText.xmlText(systemOut(run: run, summary: summary, resilience: resilience, cell: cell)))</system-out>\n"
            out += "    <system-err/>\n"
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// The suites: the run's components × columns (the tiers in suite order, then each fault plan's tiers
    /// in the suite's order), then any cell only the gate knows.
    static func suiteCells(run: RunRecord, gate: GateReport?) -> [GateCell] {
        var tiers = run.tiers.map(\.name)
        for cell in run.cells where !tiers.contains(cell.key.tier) { tiers.append(cell.key.tier) }
        var columns = tiers + run.conditions.flatMap { plan in tiers.map { "\($0)@\(plan)" } }
        for cell in run.cells.sorted(by: { $0.key < $1.key }) where !columns.contains(cell.key.column) { columns.append(cell.key.column) }
        var cells = run.components.flatMap { component in columns.map { GateCell(component: component, tier: $0) } }
        let known = Set(cells)
        cells += (gate?.decisions.map(\.cell) ?? []).filter { !known.contains($0) }
        return cells
    }

    private static func properties(run: RunRecord, summary: RunSummary, resilience: ResilienceSummary, gate: GateReport?, cell: GateCell,
                                   cases: [JUnitCase], options: Options) -> [(String, String)] {
        var out: [(String, String)] = [("assay.run", run.id), ("assay.suite", run.suitePath), ("assay.version", run.assayVersion)]
        if let revision = run.gitRevision { out.append(("assay.git_revision", revision)) }
        let (tier, condition) = split(cell.tier)
        out += [("component", cell.component), ("tier", tier)]
        if let condition { out.append(("condition", condition)) }
        if let model = run.tier(named: tier)?.model { out.append(("model", model)) }
        if let condition {
            out += faultProperties(resilience, condition: condition, tier: tier, component: cell.component)
        }
        if let threshold = run.threshold(cell.component) { out.append(("threshold", ReportFormat.fixed(threshold, 3))) }
        if let s = summary.cell(cell.component, cell.tier) {
            if let mean = s.mean { out.append(("score", ReportFormat.fixed(mean, 3))) }
            if let low = s.low, let high = s.high { out += [("score.low", ReportFormat.fixed(low, 3)), ("score.high", ReportFormat.fixed(high, 3))] }
            if let rate = s.passRate { out.append(("pass_rate", ReportFormat.fixed(rate, 3))) }
            out += [("scored", "\(s.scored)"), ("unscored", "\(s.unscored)"), ("cost_per_cell_usd", run.costKnown(tier: s.tier) ? ReportFormat.fixed(s.costPerCell, 6) : "unknown"),
                    ("latency_p50_s", ReportFormat.seconds(s.latencyP50)), ("latency_p95_s", ReportFormat.seconds(s.latencyP95)),
                    ("tokens_per_cell", ReportFormat.fixed(s.tokensPerCell, 1))]
        }
        if let gate { out.append(("gate.verdict", gate.decision(cell.component, cell.tier)?.verdict.description ?? "not decided")) }
        if options.caseProperties {
            for c in cases {
                if let score = c.score { out.append(("case.\(c.name).score", ReportFormat.fixed(score, 3))) }
                if let trace = c.traceID { out.append(("case.\(c.name).trace_id", trace)) }
            }
        }
        return out
    }

    private static func systemOut(run: RunRecord, summary: RunSummary, resilience: ResilienceSummary, cell: GateCell) -> String {
        var lines = ["Assay run \(run.id): \(cell.component) on \(cell.tier)"]
        let (tier, condition) = split(cell.tier)
        if let condition, let c = resilience.cell(condition, tier, cell.component) {
            lines.append("under fault plan \(condition): mean score \(ReportFormat.fixed(c.mean, 3)) against \(ReportFormat.fixed(c.cleanMean, 3)) clean, "
                + "drop \(ReportFormat.fixed(c.drop, 3)) on \(c.paired) paired examples; \(c.scored) scored, \(c.unscored) unscored")
            if let verdict = resilience.verdict(condition) { lines.append(verdict.text) }
        }
        if let s = summary.cell(cell.component, cell.tier) {
            let interval = s.low.flatMap { low in s.high.map { "[\(ReportFormat.fixed(low, 3)), \(ReportFormat.fixed($0, 3))]" } } ?? ""
            lines.append("mean score \(ReportFormat.fixed(s.mean, 3)) \(interval), pass rate \(ReportFormat.percent(s.passRate)), "
                + "\(s.scored) scored, \(s.unscored) unscored, cost per cell \(run.costText(perCell: s)), "
                + "latency p50 \(ReportFormat.seconds(s.latencyP50)) s, p95 \(ReportFormat.seconds(s.latencyP95)) s")
        }
        lines.append("Each case's trace opens in the trace browser: traces.html#trace=TRACE_ID")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A column's tier and fault plan: `mid@rate_limited` is (`mid`, `rate_limited`), `mid` is (`mid`, nil).
    static func split(_ column: String) -> (tier: String, condition: String?) {
        guard let at = column.firstIndex(of: "@") else { return (column, nil) }
        return (String(column[..<at]), String(column[column.index(after: at)...]))
    }

    /// A faulted column's properties: the score under the fault against clean, and the plan's recovery.
    private static func faultProperties(_ resilience: ResilienceSummary, condition: String, tier: String, component: String) -> [(String, String)] {
        var out: [(String, String)] = []
        if let c = resilience.cell(condition, tier, component) {
            if let mean = c.mean { out.append(("score", ReportFormat.fixed(mean, 3))) }
            if let clean = c.cleanMean { out.append(("clean_score", ReportFormat.fixed(clean, 3))) }
            if let drop = c.drop { out.append(("drop", ReportFormat.fixed(drop, 3))) }
            if let low = c.low, let high = c.high { out += [("drop.low", ReportFormat.fixed(low, 3)), ("drop.high", ReportFormat.fixed(high, 3))] }
            out += [("paired", "\(c.paired)"), ("scored", "\(c.scored)"), ("unscored", "\(c.unscored)")]
        }
        if let column = resilience.column(condition, tier) {
            if let recovery = column.recovery { out.append(("recovery", ReportFormat.fixed(recovery, 3))) }
            out += [("failed_cells", "\(column.failedCells)"), ("restarts", "\(column.restarts)")]
            if !column.faults.isEmpty { out.append(("faults", column.faults.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", "))) }
        }
        if let verdict = resilience.verdict(condition) { out.append(("resilience", verdict.kind.rawValue)) }
        return out
    }

    /// A value as an `xs:token`: legal characters, whitespace runs collapsed to one space, trimmed, at
    /// most 200 bytes. Validators compare tokens after this collapse, so uniqueness is checked on it.
    static func token(_ text: String) -> String {
        let words = MarkupText.clean(text).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        let joined = words.joined(separator: " ")
        guard joined.utf8.count > 200 else { return joined }
        var out = ""
        for c in joined {
            if out.utf8.count + c.utf8.count > 197 { break }
            out.append(c)
        }
        return out + "…"
    }

    /// The name, or the name with `#dup2`, `#dup3`, … when it was used already.
    static func unique(_ name: String, in used: inout Set<String>) -> String {
        if used.insert(name).inserted { return name }
        var n = 2
        while !used.insert("\(name)#dup\(n)").inserted { n += 1 }
        return "\(name)#dup\(n)"
    }
}
