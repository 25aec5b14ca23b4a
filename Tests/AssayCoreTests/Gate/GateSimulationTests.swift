import Testing
@testable import AssayCore

@Suite("Gate soundness by simulation")
struct GateSimulationTests {
    /// 400 trials, 200 resamples and families of 2 cells keep the suite to a few seconds in a debug
    /// build; the full figures (1,000 trials, 2,000 resamples, 6 cells) come from
    /// `GateSimulation(seed: 1).run()` in a release build. At 400 trials a rate near alpha = 0.05 has a
    /// standard error of 0.011, so a margin of 0.02 (1.8 standard errors) would let a sound gate pass by
    /// chance about 96% of the time, and still fails a gate whose true false-alarm rate is 0.1.
    static let simulation = GateSimulation(
        seed: 2024, trials: 400, examples: 200, drop: 0.05,
        configuration: GateConfiguration(alpha: 0.05, minEffect: 0.02, resamples: 200), cells: 2
    )
    static let margin = 0.02

    @Test("keeps false alarms at or below alpha and detects a 5-point drop on 200 examples at least 80% of the time")
    func soundness() throws {
        let result = try Self.simulation.run()
        let alpha = Self.simulation.configuration.alpha
        for figures in [result.continuous, result.passFail] {
            #expect(figures.gate.falseAlarm <= alpha + Self.margin)
            #expect(figures.gate.familyFalseAlarm <= alpha + Self.margin)
            // The common practice raises more false alarms than alpha, and more still across a family.
            #expect(figures.fixedThreshold.falseAlarm > figures.gate.falseAlarm)
            #expect(figures.fixedThreshold.familyFalseAlarm > alpha + Self.margin)
        }
        #expect(result.continuous.gate.power >= 0.8)
        // Pass/fail outcomes carry less information: with the model's 86% run-to-run agreement, 200
        // examples detect a 5-point drop in pass rate only about a third of the time.
        #expect(result.passFail.gate.power > result.passFail.gate.falseAlarm)
    }

    @Test("simulates a true drop of the requested size, with correlated pairs")
    func modelDrop() {
        var rng = SplitMix64(seed: 77)
        let model = GateSimulationModel()
        for samples in [model.continuous(examples: 20_000, drop: 0.05, &rng), model.passFail(examples: 20_000, drop: 0.05, &rng)] {
            let mean = samples.differences.reduce(0, +) / Double(samples.count)
            // The standard error of the mean difference is below 0.003 at 20,000 examples.
            #expect(abs(mean + 0.05) < 0.01)
            #expect(samples.baseline.allSatisfy { (0...1).contains($0) } && samples.candidate.allSatisfy { (0...1).contains($0) })
        }
        let scores = model.continuous(examples: 5_000, drop: 0, &rng)
        #expect(correlation(scores.baseline, scores.candidate) > 0.5)
    }

    func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count)
        let my = y.reduce(0, +) / Double(y.count)
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let syy = y.reduce(0) { $0 + ($1 - my) * ($1 - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    @Test("is reproducible from its seed")
    func reproducible() throws {
        var small = Self.simulation
        small.trials = 20
        #expect(try small.run() == (try small.run()))
    }

    @Test("rejects bad gate settings")
    func badSettings() {
        #expect(throws: AssayError.self) { try GateSimulation.run(seed: 1, trials: 1, alpha: 2) }
    }
}
