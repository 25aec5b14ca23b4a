import Testing
@testable import AssayCore

/// The rules that make the gate one CI can trust: a gated family, failed cells, floors, no baseline,
/// inconclusive cells, and a verdict that is green only when something was checked.
@Suite("Gate rules")
struct GateRulesTests {
    /// Pass/fail outcomes for `count` examples: the first `passes` pass.
    static func passing(_ passes: Int, of count: Int, cell: GateCell, into run: inout GateRun) {
        for i in 0..<count { run.record(GateOutcome(score: i < passes ? 1 : 0, passed: i < passes), cell: cell, example: "e\(i)") }
    }

    @Test("Holm runs over the gated family only: a drop that survives alone on mid is not diluted by ungated tiers")
    func gatedFamily() throws {
        var baseline = GateRun(), candidate = GateRun()
        // On mid, 7 pass→fail and 1 fail→pass among 100: one-sided p = 9/256 ≈ 0.035.
        let mid = GateCell(component: "c", tier: "mid")
        for i in 0..<100 {
            baseline.record(GateOutcome(passed: i < 50), cell: mid, example: "e\(i)")
            candidate.record(GateOutcome(passed: i < 43 || i == 50), cell: mid, example: "e\(i)")
        }
        for tier in ["low", "frontier"] {
            let cell = GateCell(component: "c", tier: tier)
            for i in 0..<100 {
                baseline.record(GateOutcome(passed: i < 50), cell: cell, example: "e\(i)")
                candidate.record(GateOutcome(passed: i < 43 || i == 50), cell: cell, example: "e\(i)")
            }
        }
        var all = GateConfiguration()
        let everyTier = try Gate.evaluate(baseline: baseline, candidate: candidate, configuration: all)
        #expect(!everyTier.regressed, "three cells of p 0.035: Holm over all three keeps none")
        all.tiers = ["mid"]
        let midOnly = try Gate.evaluate(baseline: baseline, candidate: candidate, configuration: all)
        #expect(midOnly.regressions.map(\.cell) == [mid])
        #expect(midOnly.decisions.filter { !$0.gated }.count == 2)
        #expect(midOnly.failed && midOnly.verdictLine.hasPrefix("FAILED: c on mid regressed"))
    }

    @Test("a gain is not a failure, and a drop is tested one-sided: a significant gain never counts as a regression")
    func oneSided() throws {
        var baseline = GateRun(), candidate = GateRun()
        let cell = GateCell(component: "c", tier: "t")
        Self.passing(50, of: 100, cell: cell, into: &baseline)
        Self.passing(80, of: 100, cell: cell, into: &candidate)
        let report = try Gate.evaluate(baseline: baseline, candidate: candidate)
        #expect(report.decisions.first?.verdict == .improved)
        #expect(report.decisions.first?.pValue == 1, "the p-value of a drop is 1 when the candidate gained")
        #expect(!report.failed && report.passedClean)
    }

    @Test("failed cells beyond the allowed share fail the gate, with or without a baseline")
    func failedCells() throws {
        var candidate = GateRun()
        candidate.tiers = ["mid": GateTierCounts(cells: 60, failed: 3, timedOut: 1), "low": GateTierCounts(cells: 60, failed: 0)]
        var c = GateConfiguration()
        let strict = try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)
        #expect(strict.failed && strict.failures == ["tier mid: 3 of 60 cells failed (crashed, timed out or did not start; 5%, allowed 0%)"])
        #expect(!strict.compared)
        c.maxErrorShare = 0.05
        #expect(!(try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)).failed, "3 of 60 is 5%: allowed")
        c.maxErrorShare = 0
        c.tiers = ["low"]
        #expect(!(try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)).failed, "mid is not gated")
    }

    @Test("a floor fails only beyond doubt: the upper end of the one-sided 95% interval is under it")
    func floors() throws {
        var candidate = GateRun()
        let cell = GateCell(component: "triage", tier: "mid")
        Self.passing(24, of: 60, cell: cell, into: &candidate)  // pass rate 0.40; Wilson 95% upper ≈ 0.51
        var c = GateConfiguration()
        c.floors = ["triage": GateFloor(passRate: 0.6)]
        let below = try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)
        #expect(below.failed && below.floors.first?.failed == true)
        let upper = try #require(below.floors.first?.upper)
        #expect(abs(upper - 0.508) < 0.01, "\(upper)")
        c.floors = ["triage": GateFloor(passRate: 0.5)]
        #expect(!(try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)).failed, "0.40 could be 0.5: not beyond doubt")
        c.floors = ["triage": GateFloor(mean: 0.6)]
        let mean = try Gate.evaluate(baseline: nil, candidate: candidate, configuration: c)
        #expect(mean.failed && mean.verdictLine.contains("triage on mid: mean 0.40 is below the floor 0.60"))
    }

    @Test("with no baseline and nothing else to check the verdict is not a pass; with one it says what was compared")
    func honestVerdict() throws {
        let nothing = try Gate.evaluate(baseline: nil, candidate: GateRun(), configuration: GateConfiguration())
        #expect(!nothing.checked && !nothing.passedClean && nothing.verdictLine.hasPrefix("nothing was checked"))
        var candidate = GateRun()
        candidate.tiers = ["mid": GateTierCounts(cells: 12, failed: 0)]
        let noBaseline = try Gate.evaluate(baseline: nil, candidate: candidate, configuration: GateConfiguration())
        #expect(noBaseline.verdictLine == "passed without a comparison (no baseline): failed cells checked")
    }

    @Test("an inconclusive gated cell passes with the smallest drop it would catch, or fails when the suite says so")
    func inconclusivePolicy() throws {
        var baseline = GateRun(), candidate = GateRun()
        let cell = GateCell(component: "c", tier: "mid")
        Self.passing(6, of: 12, cell: cell, into: &baseline)
        Self.passing(5, of: 12, cell: cell, into: &candidate)
        var c = GateConfiguration(minEffect: 0.05)
        let lenient = try Gate.evaluate(baseline: baseline, candidate: candidate, configuration: c)
        #expect(!lenient.failed && !lenient.passedClean)
        #expect(lenient.verdictLine.hasPrefix("passed, but 1 of 1 gated cells could not be judged: drops under "), "\(lenient.verdictLine)")
        #expect(lenient.verdictLine.hasSuffix(" points would not be seen"))
        c.inconclusiveFails = true
        let strict = try Gate.evaluate(baseline: baseline, candidate: candidate, configuration: c)
        #expect(strict.failed && strict.failures.first?.hasPrefix("c on mid could not be judged") == true)
    }

    @Test("with repeats, pass/fail outcomes become per-example pass rates and go to the bootstrap, clustered by example")
    func repeats() {
        let samples = PairedSamples(baseline: ["a": GateOutcome(score: 2.0 / 3, passed: true), "b": GateOutcome(score: 1, passed: true)],
                                    candidate: ["a": GateOutcome(score: 1.0 / 3, passed: false), "b": GateOutcome(score: 1, passed: true)])
        #expect(samples.method == .pairedBootstrap)
        #expect(samples.count == 2, "one pair per example, not per repeat")
    }
}

@Suite("Student's t")
struct StudentTTests {
    @Test("matches tabled quantiles: P(T ≤ −t) for the one-sided 95% and 97.5% points", arguments: [
        (1, 6.314, 0.05), (5, 2.015, 0.05), (11, 1.796, 0.05), (29, 2.045, 0.025), (59, 1.671, 0.05),
    ])
    func table(df: Int, t: Double, tail: Double) {
        #expect(abs(StudentT.cdf(-t, df: df) - tail) < 5e-4, "df \(df)")
        #expect(abs(StudentT.cdf(t, df: df) - (1 - tail)) < 5e-4)
    }

    @Test("the drop's p-value is 1 for a gain and small for a steady drop")
    func pDrop() {
        #expect(StudentT.pDrop([0.1, 0.2, 0.05]) == 1)
        #expect((StudentT.pDrop([-0.1, -0.12, -0.09, -0.11, -0.1]) ?? 1) < 1e-4)
        #expect(StudentT.pDrop([-0.1]) == nil)
    }
}
