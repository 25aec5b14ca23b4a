import Testing
@testable import AssayCore
@testable import AssayReports

@Suite("Gate input and verdicts")
struct GateInputTests {
    @Test("folds repeats into the mean score and a strict-majority pass; a crash is a score of 0 and a fail; an inapplicable component stays out")
    func folding() {
        let run = RunRecord.stub(components: ["a"], cells: [
            .stub("x", "low", values: [("a", 0.9)]),
            .stub("x", "low", repeatIndex: 1, values: [("a", 0.5)]),
            .stub("y", "low", values: [("a", 0.8)]),
            .stub("y", "low", repeatIndex: 1, values: [("a", 0.6)]),
            .stub("y", "low", repeatIndex: 2, values: [("a", 0.1)]),
            .stub("z", "low", status: .error, error: "boom", values: []),
            .stub("u", "mid", values: [("a", nil)]),
        ])
        let outcomes = GateInput.run(run).outcomes
        let low = outcomes[GateCell(component: "a", tier: "low")]!
        #expect(low["x"] == GateOutcome(score: 0.7, passed: false))  // 1 of 2 passed: a tie fails
        #expect(abs(low["y"]!.score! - 0.5) < 1e-12)
        #expect(low["y"]!.passed == false)
        #expect(low["z"] == GateOutcome(score: 0, passed: false), "errors are failures: the cell did not do the work")
        #expect(outcomes[GateCell(component: "a", tier: "mid")]!["u"] == GateOutcome(), "unscored in a cell that ran: not the agent's failure")
        let tiers = GateInput.run(run).tiers
        #expect(tiers["low"] == GateTierCounts(cells: 6, failed: 1, timedOut: 0))
        #expect(tiers["mid"] == GateTierCounts(cells: 1, failed: 0, timedOut: 0))
    }

    static func noisy(_ component: String, _ tier: String, _ e: Int) -> Double {
        0.5 + 0.4 * Double((e * 7 + component.count * 3 + tier.count) % 11) / 10 - 0.2
    }

    @Test("finds no regression between identical runs")
    func identical() throws {
        let run = RunRecord.scored(examples: 100, components: ["triage", "draft", "end_to_end"]) { c, t, e in Self.noisy(c, t, e) }
        let report = try Gate.evaluate(baseline: GateInput.run(run), candidate: GateInput.run(run))
        #expect(!report.regressed)
        #expect(report.decisions.count == 9)
        #expect(report.decisions.allSatisfy { $0.verdict == .unchanged })
    }

    @Test("finds a 20-point drop on 100 examples in one component, and only there")
    func drop() throws {
        let components = ["triage", "draft", "end_to_end"]
        let before = RunRecord.scored(examples: 100, components: components) { c, t, e in Self.noisy(c, t, e) }
        let after = RunRecord.scored(examples: 100, components: components) { c, t, e in
            Self.noisy(c, t, e) - (c == "draft" && t == "mid" ? 0.2 : 0)
        }
        let baseline = try Baseline.decode(Baseline.encode(before, createdAt: "2026-11-21T18:45:00Z"))
        let report = try Gate.evaluate(baseline: baseline.gateRun, candidate: GateInput.run(after))
        #expect(report.regressed)
        #expect(report.decisions(.regressed).map(\.cell) == [GateCell(component: "draft", tier: "mid")])
        let xml = JUnitReport.write(run: after, summary: RunSummary(after), gate: report, options: .init(hostname: "h"))
        #expect(xml.components(separatedBy: "type=\"assay.gate.regressed\"").count - 1 == 1)
        let markdown = MarkdownSummary.write(run: after, summary: RunSummary(after), gate: report)
        #expect(markdown.hasPrefix("## ❌ Failed the gate:"))
        let html = HTMLRunReport.write(run: after, summary: RunSummary(after), gate: report, baselineRun: before)
        #expect(html.contains("Failed the gate: draft on mid regressed"))
        #expect(html.contains("draft on mid: 100 regressed, 0 improved"))
    }
}
