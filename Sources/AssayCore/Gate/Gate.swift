/// The CI regression gate: a paired comparison of a candidate run against a baseline, per
/// component × tier cell, with Holm's correction across cells.
///
/// Continuous scores are compared with a `PairedBootstrap` on the mean difference, pass/fail outcomes
/// with `McNemarExact` (see `PairedSamples` for which applies); the rules of each verdict are on
/// `GateVerdict`. Cells with fewer than `minimumExamples` shared examples are inconclusive and stay out
/// of the Holm family.
///
/// ```swift
/// let report = try Gate.evaluate(baseline: baseline, candidate: candidate, alpha: 0.05, minEffect: 0.02, seed: 1)
/// if report.regressed { /* exit 1 */ }
/// ```
public enum Gate {
    /// Compares two runs with the given level, minimum effect and seed, and the other settings' defaults.
    /// - Throws: `AssayError` for a bad setting.
    public static func evaluate(
        baseline: GateRun, candidate: GateRun, alpha: Double = 0.05, minEffect: Double = 0.02, seed: UInt64 = 0
    ) throws(AssayError) -> GateReport {
        try evaluate(
            baseline: baseline, candidate: candidate,
            configuration: GateConfiguration(alpha: alpha, minEffect: minEffect, seed: seed)
        )
    }

    /// Compares two runs over every cell present in either.
    /// - Throws: `AssayError` for a bad setting.
    public static func evaluate(baseline: GateRun, candidate: GateRun, configuration: GateConfiguration) throws(AssayError) -> GateReport {
        let cells = Set(baseline.outcomes.keys).union(candidate.outcomes.keys)
        var samples: [GateCell: PairedSamples] = [:]
        for cell in cells {
            samples[cell] = PairedSamples(baseline: baseline.outcomes[cell] ?? [:], candidate: candidate.outcomes[cell] ?? [:])
        }
        return try evaluate(samples: samples, configuration: configuration)
    }

    /// Decides every cell from samples already paired.
    /// - Throws: `AssayError` for a bad setting.
    public static func evaluate(samples: [GateCell: PairedSamples], configuration: GateConfiguration) throws(AssayError) -> GateReport {
        try configuration.validate()
        let cells = samples.keys.sorted()
        let tested = cells.filter { samples[$0]!.count >= configuration.minimumExamples }.count
        var used = configuration
        used.resamples = max(configuration.resamples, Int((10 * Double(tested) / configuration.alpha).rounded(.up)))
        let analyses = cells.map {
            GateCellAnalysis(cell: $0, samples: samples[$0]!, configuration: used, familySize: cells.count, resamples: used.resamples)
        }
        let testedIndices = analyses.indices.filter { analyses[$0].pValue != nil }
        let adjusted = HolmCorrection.adjust(testedIndices.map { analyses[$0].pValue! })
        var adjustedByIndex: [Int: Double] = [:]
        for (index, value) in zip(testedIndices, adjusted) { adjustedByIndex[index] = value }
        let decisions = analyses.indices.map {
            analyses[$0].decision(adjustedPValue: adjustedByIndex[$0], configuration: used)
        }
        return GateReport(configuration: used, decisions: decisions)
    }
}
