/// The CI regression gate: a paired comparison of a candidate run against a baseline, per
/// component × tier cell, one-sided for drops with Holm's correction across the gated cells; and,
/// with or without a baseline, absolute floors and the allowed share of failed cells.
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
        try evaluate(baseline: Optional(baseline), candidate: candidate, configuration: configuration)
    }

    /// Gates a candidate: against a baseline when there is one (paired, per cell), and in every case
    /// against the configured floors and the allowed share of failed cells per gated tier.
    /// - Throws: `AssayError` for a bad setting.
    public static func evaluate(baseline: GateRun?, candidate: GateRun, configuration: GateConfiguration) throws(AssayError) -> GateReport {
        try configuration.validate()
        var report: GateReport
        if let baseline {
            let cells = Set(baseline.outcomes.keys).union(candidate.outcomes.keys)
            var samples: [GateCell: PairedSamples] = [:]
            for cell in cells {
                samples[cell] = PairedSamples(baseline: baseline.outcomes[cell] ?? [:], candidate: candidate.outcomes[cell] ?? [:])
            }
            report = try evaluate(samples: samples, configuration: configuration)
        } else {
            report = GateReport(configuration: configuration, decisions: [])
            report.compared = false
        }
        report.reliability = GateChecks.reliability(candidate: candidate, baseline: baseline, configuration: configuration)
        report.floors = GateChecks.floors(candidate: candidate, configuration: configuration)
        return report
    }

    /// Decides every cell from samples already paired. Regressions are tested one-sided, with Holm's
    /// correction over the gated family only; gains are tested one-sided in their own family and
    /// reported as improvements; cells outside the gated family are reported, never gating.
    /// - Throws: `AssayError` for a bad setting.
    public static func evaluate(samples: [GateCell: PairedSamples], configuration: GateConfiguration) throws(AssayError) -> GateReport {
        try configuration.validate()
        let cells = samples.keys.sorted()
        let gated = Set(cells.filter(configuration.gates))
        let tested = cells.filter { samples[$0]!.count >= configuration.minimumExamples }.count
        var used = configuration
        used.resamples = max(configuration.resamples, Int((10 * Double(tested) / configuration.alpha).rounded(.up)))
        let analyses = cells.map { cell in
            GateCellAnalysis(cell: cell, samples: samples[cell]!, configuration: used,
                             familySize: gated.contains(cell) ? gated.count : cells.count - gated.count, resamples: used.resamples)
        }
        var adjustedDrop: [Int: Double] = [:], adjustedGain: [Int: Double] = [:]
        for family in [true, false] {
            let members = analyses.indices.filter { gated.contains(analyses[$0].cell) == family && analyses[$0].pDrop != nil }
            for (index, value) in zip(members, HolmCorrection.adjust(members.map { analyses[$0].pDrop! })) { adjustedDrop[index] = value }
            for (index, value) in zip(members, HolmCorrection.adjust(members.map { analyses[$0].pGain! })) { adjustedGain[index] = value }
        }
        let decisions = analyses.indices.map {
            analyses[$0].decision(adjustedPValue: adjustedDrop[$0], adjustedGain: adjustedGain[$0],
                                  gated: gated.contains(analyses[$0].cell), configuration: used)
        }
        return GateReport(configuration: used, decisions: decisions)
    }
}
