import Testing
@testable import AssayCore

@Suite("Gate verdicts")
struct GateTests {
    static let judge = GateCell(component: "judge", tier: "hard")

    /// A run pair for one cell whose differences are `shift` plus normal noise of `noise`.
    func runs(_ count: Int, shift: Double, noise: Double, seed: UInt64 = 1, cell: GateCell = judge) -> (GateRun, GateRun) {
        var rng = SplitMix64(seed: seed)
        var baseline = GateRun()
        var candidate = GateRun()
        for index in 0..<count {
            let base = 0.3 + 0.4 * GateDraws.uniform(&rng)
            baseline.record(GateOutcome(score: base), cell: cell, example: "q\(index)")
            candidate.record(GateOutcome(score: base + shift + noise * GateDraws.normal(&rng)), cell: cell, example: "q\(index)")
        }
        return (baseline, candidate)
    }

    func decide(_ pair: (GateRun, GateRun)) throws -> GateDecision {
        let report = try Gate.evaluate(baseline: pair.0, candidate: pair.1, seed: 3)
        return try #require(report.decisions.first)
    }

    @Test("flags a clear drop as regressed and the report as failed")
    func regressed() throws {
        let (baseline, candidate) = runs(200, shift: -0.1, noise: 0.15)
        let report = try Gate.evaluate(baseline: baseline, candidate: candidate, seed: 3)
        let decision = try #require(report.decisions.first)
        #expect(decision.verdict == .regressed)
        #expect(report.regressed)
        #expect(decision.method == .pairedBootstrap)
        #expect(decision.shared == 200)
        #expect(try #require(decision.high) < -0.02)
        #expect(try #require(decision.adjustedPValue) < 0.05)
        #expect(decision.explanation.hasPrefix("Mean score -0.") && decision.explanation.contains("on 200 shared examples"))
    }

    @Test("flags a clear gain as improved, which does not fail the gate")
    func improved() throws {
        let (baseline, candidate) = runs(200, shift: 0.08, noise: 0.15)
        let report = try Gate.evaluate(baseline: baseline, candidate: candidate, seed: 3)
        #expect(report.decisions.first?.verdict == .improved)
        #expect(!report.regressed)
    }

    @Test("calls a significant change smaller than the minimum effect unchanged")
    func smallButSignificant() throws {
        let decision = try decide(runs(200, shift: -0.01, noise: 0.01))
        #expect(try #require(decision.pValue) < 0.001)
        #expect(decision.verdict == .unchanged)
    }

    @Test("calls a non-significant change on enough examples unchanged")
    func enoughExamples() throws {
        let decision = try decide(runs(200, shift: 0, noise: 0.05))
        #expect(decision.verdict == .unchanged)
        #expect(decision.examplesNeeded < 200)
    }

    @Test("is inconclusive on too few noisy examples, with a plausible count needed")
    func tooFewNoisy() throws {
        let decision = try decide(runs(30, shift: 0, noise: 0.3))
        guard case .inconclusive(let needed) = decision.verdict else {
            Issue.record("expected inconclusive, got \(decision.verdict)")
            return
        }
        // One-sided: ((1.645 + 0.84) · 0.3 / 0.02)² ≈ 1,390, give or take the sample's spread.
        #expect((700...2_500).contains(needed))
        #expect(needed == decision.examplesNeeded)
        // The smallest drop 30 examples would catch: (1.645 + 0.84) · σ / √30, about 13 points for σ = 0.3.
        let detectable = try #require(decision.detectableDrop)
        #expect((0.08...0.2).contains(detectable), "\(detectable)")
        #expect(decision.explanation.contains("would catch a drop of"))
    }

    @Test("is always inconclusive below ten shared examples, and leaves such cells untested", arguments: [1, 5, 9])
    func tooFew(count: Int) throws {
        let (baseline, candidate) = runs(count, shift: -0.5, noise: 0.01)
        let report = try Gate.evaluate(baseline: baseline, candidate: candidate)
        let decision = try #require(report.decisions.first)
        guard case .inconclusive(let needed) = decision.verdict else {
            Issue.record("expected inconclusive, got \(decision.verdict)")
            return
        }
        #expect(needed >= 10 && needed > count)
        #expect(decision.pValue == nil && decision.adjustedPValue == nil)
    }

    @Test("decides pass/fail cells with exact McNemar")
    func passFail() throws {
        var baseline = GateRun()
        var candidate = GateRun()
        let cell = GateCell(component: "tests_pass", tier: "all")
        for index in 0..<100 {
            baseline.record(GateOutcome(passed: index < 80), cell: cell, example: "e\(index)")
            candidate.record(GateOutcome(passed: index < 65), cell: cell, example: "e\(index)")
        }
        let decision = try #require(try Gate.evaluate(baseline: baseline, candidate: candidate).decisions.first)
        #expect(decision.method == .mcnemarExact)
        #expect(decision.discordant == McNemarCounts(passToFail: 15, failToPass: 0))
        #expect(abs(try #require(decision.meanDifference) + 0.15) < 1e-12)
        #expect(decision.pValue == McNemarExact.pValueDrop(McNemarCounts(passToFail: 15, failToPass: 0)), "one-sided: the gate fails only on drops")
        #expect(abs(try #require(decision.pValue) - 1 / 32768.0) < 1e-15)
        #expect(decision.verdict == .regressed)
        #expect(decision.explanation.contains("15 pass→fail, 0 fail→pass"))
    }

    @Test("applies Holm across cells: a drop significant alone is not once there are two")
    func holmAcrossCells() throws {
        // b = 7, c = 1: one-sided p = 9/256 = 0.035 alone, 0.070 after Holm with a second identical cell.
        func record(_ cells: [GateCell]) -> (GateRun, GateRun) {
            var baseline = GateRun()
            var candidate = GateRun()
            for cell in cells {
                for index in 0..<100 {
                    baseline.record(GateOutcome(passed: index < 50), cell: cell, example: "e\(index)")
                    candidate.record(GateOutcome(passed: index < 43 || index == 50), cell: cell, example: "e\(index)")
                }
            }
            return (baseline, candidate)
        }
        let one = record([Self.judge])
        #expect(try decide(one).verdict == .regressed)
        let other = GateCell(component: "judge", tier: "easy")
        let two = record([Self.judge, other])
        let report = try Gate.evaluate(baseline: two.0, candidate: two.1)
        for decision in report.decisions {
            #expect(abs(try #require(decision.adjustedPValue) - 2 * McNemarExact.pValueDrop(McNemarCounts(passToFail: 7, failToPass: 1))) < 1e-12)
            #expect(decision.verdict != .regressed)
        }
        #expect(!report.regressed)
    }

    @Test("reports a cell present in only one run as inconclusive with all its examples dropped")
    func missingCell() throws {
        var (baseline, candidate) = runs(50, shift: 0, noise: 0.05)
        baseline.record(GateOutcome(score: 0.5), cell: GateCell(component: "new", tier: "x"), example: "q1")
        let report = try Gate.evaluate(baseline: baseline, candidate: candidate)
        let decision = try #require(report.decisions.first { $0.cell.component == "new" })
        #expect(decision.shared == 0 && decision.dropped == 1)
        #expect(decision.meanDifference == nil)
        if case .inconclusive = decision.verdict {} else { Issue.record("expected inconclusive") }
        #expect(report.decisions.map(\.cell) == report.decisions.map(\.cell).sorted())
    }

    @Test("gives the same report for the same seed, whatever other cells exist")
    func deterministic() throws {
        let (baseline, candidate) = runs(120, shift: -0.02, noise: 0.2)
        let first = try Gate.evaluate(baseline: baseline, candidate: candidate, seed: 9)
        #expect(try Gate.evaluate(baseline: baseline, candidate: candidate, seed: 9) == first)
        var wider = (baseline, candidate)
        wider.0.record(GateOutcome(score: 1), cell: GateCell(component: "zz", tier: "x"), example: "q")
        let again = try Gate.evaluate(baseline: wider.0, candidate: wider.1, seed: 9)
        #expect(again.decisions.first?.low == first.decisions.first?.low)
    }

    @Test("rejects bad settings", arguments: [(0.0, 0.02), (1.0, 0.02), (0.05, 0.0), (0.05, -1.0), (Double.nan, 0.02)])
    func badSettings(alpha: Double, minEffect: Double) {
        #expect(throws: AssayError.self) { try Gate.evaluate(baseline: GateRun(), candidate: GateRun(), alpha: alpha, minEffect: minEffect) }
    }
}
