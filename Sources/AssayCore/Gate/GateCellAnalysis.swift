/// The statistics of one cell before the Holm correction: estimate, interval, raw p-value, examples needed.
struct GateCellAnalysis {
    var cell: GateCell
    var method: GateMethod
    var shared: Int
    var dropped: Int
    var mean: Double?
    var low: Double?
    var high: Double?
    /// Nil when the cell has fewer than the minimum examples and so is not tested.
    var pValue: Double?
    /// The one-sided p-values of a drop and of a gain (the two-sided one in the legacy mode).
    var pDrop: Double?
    var pGain: Double?
    /// The smallest drop these examples detect with the configured power at the family's level.
    var detectableDrop: Double?
    var discordant: McNemarCounts?
    var needed: Int

    /// Runs the cell's test.
    /// - Parameters:
    ///   - familySize: The number of cells, m; the examples needed are counted at the Bonferroni level
    ///     alpha/m, the level of Holm's first step, so the count is conservative for the family.
    ///   - resamples: The bootstrap resamples.
    init(cell: GateCell, samples: PairedSamples, configuration: GateConfiguration, familySize: Int, resamples: Int) {
        self.cell = cell
        method = samples.method
        shared = samples.count
        dropped = samples.dropped
        discordant = samples.method == .mcnemarExact ? samples.discordant : nil
        let differences = samples.differences
        let spread = max(Self.standardDeviation(differences), configuration.minimumSpread)
        let level = configuration.alpha / Double(max(1, familySize))
        needed = max(configuration.minimumExamples, configuration.legacyTwoSided
            ? GatePower.examplesNeeded(spread: spread, effect: configuration.minEffect, alpha: level, power: configuration.power)
            : GatePower.examplesNeededOneSided(spread: spread, effect: configuration.minEffect, alpha: level, power: configuration.power))
        detectableDrop = GatePower.detectableDrop(spread: spread, examples: samples.count,
                                                  alpha: configuration.legacyTwoSided ? level / 2 : level, power: configuration.power)
        guard !differences.isEmpty else { return }
        let confidence = 1 - configuration.alpha
        switch samples.method {
        case .pairedBootstrap:
            let estimate = PairedBootstrap(resamples: resamples)
                .estimate(differences, confidence: confidence, seed: Self.seed(configuration.seed, cell))
            (mean, low, high) = (estimate.mean, estimate.low, estimate.high)
            pValue = estimate.pValue
            // The percentile bootstrap is liberal on small samples: the drop's p-value is the larger of
            // the bootstrap's and the paired t-test's, so that false alarms stay at or below alpha
            // from 12 examples up (docs/gate.md); the t-test takes over where the bootstrap is optimistic.
            let tDrop = StudentT.pDrop(differences) ?? estimate.pDrop
            let tGain = StudentT.pDrop(differences.map { -$0 }) ?? estimate.pGain
            (pDrop, pGain) = (max(estimate.pDrop, tDrop), max(estimate.pGain, tGain))
        case .mcnemarExact:
            let counts = samples.discordant
            mean = Double(counts.failToPass - counts.passToFail) / Double(shared)
            (low, high) = Self.agrestiMinInterval(counts, shared: shared, confidence: confidence)
            pValue = McNemarExact.pValue(counts)
            (pDrop, pGain) = (McNemarExact.pValueDrop(counts), McNemarExact.pValueGain(counts))
        }
        if configuration.legacyTwoSided { (pDrop, pGain) = (pValue, pValue) }
        if shared < configuration.minimumExamples { (pValue, pDrop, pGain) = (nil, nil, nil) }
    }

    /// The sample standard deviation (n − 1 denominator); 0 for fewer than two values.
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count > 1 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// The interval for a change in paired proportions of Agresti and Min (2005), *Simple improved
    /// confidence intervals for comparing matched proportions*: a Wald interval after adding ½ to each of
    /// the four cells of the 2×2 table, which holds its coverage even with few discordant pairs.
    static func agrestiMinInterval(_ counts: McNemarCounts, shared: Int, confidence: Double) -> (Double, Double) {
        let b = Double(counts.passToFail) + 0.5
        let c = Double(counts.failToPass) + 0.5
        let n = Double(shared) + 2
        let centre = (c - b) / n
        let error = ((b + c) - (c - b) * (c - b) / n).squareRoot() / n
        let z = GateNormal.quantile(1 - (1 - confidence) / 2)
        return (max(-1, centre - z * error), min(1, centre + z * error))
    }

    /// A seed for one cell's bootstrap that depends on the gate's seed and the cell's name, not on the
    /// order of the cells (FNV-1a over the name, mixed by a SplitMix64 step).
    static func seed(_ seed: UInt64, _ cell: GateCell) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in cell.component.utf8 + [0] + cell.tier.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var rng = SplitMix64(seed: seed ^ hash)
        return rng.next()
    }
}
