/// The gate's verdict on one cell.
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
