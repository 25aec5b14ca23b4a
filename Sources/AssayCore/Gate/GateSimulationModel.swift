/// How the gate's simulations generate paired runs.
///
/// Each example has a latent quality q ~ Beta(μ·s, (1 − μ)·s) shared by both runs, so paired scores are
/// correlated as real ones are (hard examples stay hard). Given q, a run's continuous score is
/// Beta(q·κ, (1 − q)·κ): mean q, in 0...1, with the spread of an LLM's non-determinism. A pass/fail run
/// passes each example with its own propensity p ~ Beta(μ·t, (1 − μ)·t), drawn once per example, so
/// that t sets how often two runs of the same system agree. A true drop of δ scales the candidate's
/// quality (or propensity) by 1 − δ/μ, which lowers the population mean by exactly δ and keeps it in 0...1.
package struct GateSimulationModel: Hashable, Sendable {
    /// μ, the mean quality (and pass rate); default 0.7.
    package var meanQuality: Double
    /// s, the concentration of per-example quality; default 4 (Beta(2.8, 1.2): a spread of difficulty).
    package var qualityConcentration: Double
    /// κ, the concentration of a run's score around its example's quality; default 8, a run-to-run
    /// standard deviation of about 0.15 at q = 0.7 and of the paired differences about 0.19.
    package var runConcentration: Double
    /// t, the concentration of pass propensities; default 0.5: most examples nearly always or nearly never
    /// pass, and two runs of the same system agree on about 86% of examples.
    package var passConcentration: Double

    /// Creates a model.
    package init(meanQuality: Double = 0.7, qualityConcentration: Double = 4, runConcentration: Double = 8, passConcentration: Double = 0.5) {
        self.meanQuality = meanQuality
        self.qualityConcentration = qualityConcentration
        self.runConcentration = runConcentration
        self.passConcentration = passConcentration
    }

    /// One cell's paired continuous scores; the candidate's quality is lowered by `drop` on average.
    func continuous(examples: Int, drop: Double, repeats: Int = 1, _ rng: inout SplitMix64) -> PairedSamples {
        var baseline: [Double] = []
        var candidate: [Double] = []
        baseline.reserveCapacity(examples)
        candidate.reserveCapacity(examples)
        let scale = 1 - drop / meanQuality
        for _ in 0..<examples {
            let q = GateDraws.beta(meanQuality * qualityConcentration, (1 - meanQuality) * qualityConcentration, &rng)
            // With repeats, each run's value for the example is the mean of its repeats (as GateInput folds them).
            baseline.append((0..<repeats).map { _ in score(quality: q, &rng) }.reduce(0, +) / Double(repeats))
            candidate.append((0..<repeats).map { _ in score(quality: q * scale, &rng) }.reduce(0, +) / Double(repeats))
        }
        return PairedSamples(method: .pairedBootstrap, baseline: baseline, candidate: candidate)
    }

    /// One cell's paired pass/fail outcomes; the candidate's pass rate is lowered by `drop` on average.
    func passFail(examples: Int, drop: Double, repeats: Int = 1, _ rng: inout SplitMix64) -> PairedSamples {
        var baseline: [Double] = []
        var candidate: [Double] = []
        baseline.reserveCapacity(examples)
        candidate.reserveCapacity(examples)
        let scale = 1 - drop / meanQuality
        for _ in 0..<examples {
            let p = GateDraws.beta(meanQuality * passConcentration, (1 - meanQuality) * passConcentration, &rng)
            // With repeats, each run's value is the example's pass rate over its repeats.
            baseline.append(Double((0..<repeats).filter { _ in GateDraws.uniform(&rng) < p }.count) / Double(repeats))
            candidate.append(Double((0..<repeats).filter { _ in GateDraws.uniform(&rng) < p * scale }.count) / Double(repeats))
        }
        // Pass rates of several repeats are fractions: the gate compares them with the bootstrap, as it does real runs.
        return PairedSamples(method: repeats > 1 ? .pairedBootstrap : .mcnemarExact, baseline: baseline, candidate: candidate)
    }

    private func score(quality q: Double, _ rng: inout SplitMix64) -> Double {
        let clamped = min(max(q, 1e-6), 1 - 1e-6)
        return GateDraws.beta(clamped * runConcentration, (1 - clamped) * runConcentration, &rng)
    }
}
