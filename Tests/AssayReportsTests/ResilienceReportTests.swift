import Foundation
import Testing
@testable import AssayCore
@testable import AssayReports

/// Reports of runs with fault plans: each tier × plan is a column of its own in JUnit and the gate,
/// and the HTML and Markdown reports show the resilience findings.
@Suite("Resilience in the reports")
struct ResilienceReportTests {
    /// Ten examples on three tiers; clean cells pass; under `plan` nothing recovers on any tier (a
    /// harness bottleneck), every faulted cell got a 429 and one restart.
    static func faultedRun(plan: String = "rate_limited", component: String = "end_to_end", failMid: Bool = false) -> RunRecord {
        var cells: [CellResult] = []
        for e in 0..<10 {
            for tier in ["low", "mid", "frontier"] {
                cells.append(.stub("e\(e)", tier, values: [(component, 0.8), ("recovered", 1)]))
                let failed = failMid && tier == "mid"
                var c = CellResult.stub("e\(e)", tier, status: failed ? .error : .ok, error: failed ? "the agent exited with status 1" : nil,
                                        values: [(component, 0.42), ("recovered", 0)])
                c.key.condition = plan
                c.faults = ["model:status_429"]
                c.restarts = 1
                cells.append(c)
            }
        }
        var run = RunRecord.stub(components: [component, "recovered"], cells: cells)
        run.conditions = [plan]
        return run
    }

    @Test("JUnit has one suite per column: the tiers, then each tier under the plan, with the faults in the case text")
    func junitColumns() throws {
        let run = Self.faultedRun()
        let xml = JUnitReport.write(run: run, summary: RunSummary(run), gate: nil, options: .init(hostname: "ci"))
        let names = xml.components(separatedBy: "<testsuite name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        let columns = ["low", "mid", "frontier", "low@rate_limited", "mid@rate_limited", "frontier@rate_limited"]
        #expect(names == ["end_to_end", "recovered"].flatMap { c in columns.map { "assay.\(c).\($0)" } })
        #expect(xml.contains("<property name=\"condition\" value=\"rate_limited\"/>"))
        #expect(xml.contains("faults injected: model:status_429"))
        #expect(xml.contains("restarts: 1"))
        #expect(xml.contains("fault plan rate_limited"))
        // The clean suite holds only clean cells: 10 cases, all passing.
        let clean = try #require(xml.components(separatedBy: "<testsuite name=\"assay.end_to_end.mid\"").dropFirst().first)
        #expect(clean.contains("tests=\"10\" failures=\"0\""))
        let faulted = try #require(xml.components(separatedBy: "<testsuite name=\"assay.end_to_end.mid@rate_limited\"").dropFirst().first)
        #expect(faulted.contains("tests=\"10\" failures=\"10\""))
    }

    @Test("the gate keys columns, gates mid@plan under a filter of [mid], and leaves faulted columns out of the failed-cell check")
    func gateColumns() throws {
        let run = Self.faultedRun(failMid: true)
        let input = GateInput.run(run)
        #expect(input.outcomes[GateCell(component: "end_to_end", tier: "mid@rate_limited")]?.count == 10)
        #expect(input.outcomes[GateCell(component: "end_to_end", tier: "mid")]?["e0"]?.score == 0.8, "clean and faulted cells are not mixed")
        #expect(input.tiers["mid"] == GateTierCounts(cells: 10, failed: 0, timedOut: 0))
        #expect(input.tiers["mid@rate_limited"] == GateTierCounts(cells: 10, failed: 10, timedOut: 0))

        var configuration = GateConfiguration()
        configuration.tiers = ["mid"]
        #expect(configuration.gates(GateCell(component: "end_to_end", tier: "mid@rate_limited")))
        #expect(!configuration.gates(GateCell(component: "end_to_end", tier: "low@rate_limited")))
        #expect(!configuration.gates(GateCell(component: "end_to_end", tier: "middle")))
        let report = try Gate.evaluate(baseline: input, candidate: input, configuration: configuration)
        let faulted = try #require(report.decisions.first { $0.cell == GateCell(component: "end_to_end", tier: "mid@rate_limited") })
        #expect(faulted.gated)
        #expect(report.decisions.first { $0.cell.tier == "low@rate_limited" }?.gated == false)
        #expect(report.reliability.map(\.tier) == ["mid"], "faulted cells fail by design: only clean columns are held to max_error_share")
        #expect(!report.failed)
    }

    @Test("the HTML report has the resilience matrix and findings, and escapes a hostile plan and component name")
    func html() {
        let run = Self.faultedRun(plan: Hostile.script, component: Hostile.image)
        let html = HTMLRunReport.write(run: run, summary: RunSummary(run), gate: nil)
        #expect(html.contains("<section id=\"resilience\""))
        #expect(html.contains("<span class=\"score\">0.42</span> \u{2212}0.38"), "the mean under the fault and its change against clean")
        #expect(html.contains("harness bottleneck"))
        #expect(html.contains("passes end to end"))
        #expect(!html.contains("<script") && !html.contains("<img"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;"))
        // The examples show each cell's column.
        #expect(html.contains("<strong>mid@&lt;/script&gt;"))
        // The matrix and charts use clean cells only: the clean mean, not a mix with the faulted one.
        #expect(html.contains("<span class=\"score\">0.800</span>"))
    }

    @Test("the HTML report has no resilience section without fault plans")
    func htmlWithoutPlans() {
        let run = RunRecord.hostile()
        #expect(!HTMLRunReport.write(run: run, summary: RunSummary(run), gate: nil).contains("id=\"resilience\""))
    }

    @Test("the Markdown summary lists the bottleneck and a plan × tier recovery table")
    func markdown() {
        let run = Self.faultedRun()
        let md = MarkdownSummary.write(run: run, summary: RunSummary(run), gate: nil)
        #expect(md.contains("### Resilience"))
        #expect(md.contains("- **rate\\_limited: recovery does not rise with the model"))
        #expect(md.contains("| rate\\_limited ▼ | 0.00 · 0/10 | 0.00 · 0/10 | 0.00 · 0/10 |"))
        #expect(md.contains("(0 clean cells failed)"), "faulted cells are not counted as failed cells of the run")
    }

    @Test("the run's JSON carries the resilience summary")
    func json() throws {
        let run = Self.faultedRun()
        let text = RunJSON.encode(run, summary: RunSummary(run), gate: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let resilience = try #require(object["resilience"] as? [String: Any])
        #expect(resilience["conditions"] as? [String] == ["rate_limited"])
    }
}
