/// The gate's verdict on one cell.
///
/// With δ = `minEffect`, d̄ the mean difference (candidate − baseline; for pass/fail, the change in pass
/// rate), p* the Holm-adjusted p-value across the tested cells and n the shared examples:
/// - below `minimumExamples` (10) shared examples: inconclusive, untested;
/// - p* < alpha and d̄ ≤ −δ: regressed; p* < alpha and d̄ ≥ δ: improved. The point estimate, not the
///   interval's far end, must pass δ: "real, and about as large as what matters". Requiring the whole
///   interval beyond δ would test for a change *larger* than δ and miss most drops near δ;
/// - p* < alpha and |d̄| < δ: unchanged, a real change too small to matter;
/// - p* ≥ alpha and n ≥ the examples needed, or the (1 − alpha) interval inside (−δ, δ): unchanged;
/// - otherwise inconclusive, with the examples needed: `GatePower.examplesNeeded` with σ_d the sample
///   standard deviation of the differences (at least `minimumSpread`), power 0.8 and the Bonferroni
///   level alpha/m for m cells, at least `minimumExamples`.
public enum GateVerdict: Hashable, Sendable, CustomStringConvertible {
    /// Significantly worse, by at least the minimum effect.
    case regressed
    /// Significantly better, by at least the minimum effect.
    case improved
    /// No change that matters: either not significant with enough examples to have seen one, not
    /// significant with a confidence interval inside ±minEffect, or significant but smaller than minEffect.
    case unchanged
    /// Too few shared examples to tell; `needed` is how many would give the configured power.
    case inconclusive(needed: Int)

    /// `regressed`, `improved`, `unchanged` or `inconclusive (needs N examples)`.
    public var description: String {
        switch self {
        case .regressed: "regressed"
        case .improved: "improved"
        case .unchanged: "unchanged"
        case .inconclusive(let needed): "inconclusive (needs \(needed) examples)"
        }
    }
}
