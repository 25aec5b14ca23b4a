import Foundation

extension GateCellAnalysis {
    /// The verdict and its sentence, given the Holm-adjusted p-value (nil when the cell was not tested),
    /// by the rules documented on `GateVerdict`.
    func decision(adjustedPValue: Double?, configuration: GateConfiguration) -> GateDecision {
        let verdict: GateVerdict
        let reason: String
        let delta = configuration.minEffect
        let slack = 1e-12
        if let adjusted = adjustedPValue, let mean {
            let significant = adjusted < configuration.alpha
            let test = "Holm-adjusted p = \(Self.format(p: adjusted))"
            if significant && mean <= -delta + slack {
                verdict = .regressed
                reason = "\(test) < \(Self.format(p: configuration.alpha)) and the drop is at least the minimum effect \(Self.format(p: delta))"
            } else if significant && mean >= delta - slack {
                verdict = .improved
                reason = "\(test) < \(Self.format(p: configuration.alpha)) and the gain is at least the minimum effect \(Self.format(p: delta))"
            } else if significant {
                verdict = .unchanged
                reason = "\(test) is significant, but the change is smaller than the minimum effect \(Self.format(p: delta))"
            } else if shared >= needed {
                verdict = .unchanged
                reason = "\(test) is not significant, and \(shared) examples suffice to detect \(Self.format(p: delta)) (\(needed) needed)"
            } else if let low, let high, low > -delta, high < delta {
                verdict = .unchanged
                reason = "\(test) is not significant, and the interval lies within ±\(Self.format(p: delta))"
            } else {
                verdict = .inconclusive(needed: needed)
                reason = "\(test) is not significant, but \(shared) examples are too few to detect \(Self.format(p: delta)) (\(needed) needed)"
            }
        } else {
            verdict = .inconclusive(needed: needed)
            reason = shared == 0
                ? "no example was scored in both runs (\(needed) needed)"
                : "\(shared) shared examples are fewer than the minimum \(configuration.minimumExamples) (\(needed) needed)"
        }
        return GateDecision(
            cell: cell, method: method, verdict: verdict, shared: shared, dropped: dropped, meanDifference: mean,
            low: low, high: high, pValue: pValue, adjustedPValue: adjustedPValue, discordant: discordant,
            examplesNeeded: needed, explanation: "\(estimateText(alpha: configuration.alpha))\(reason)."
        )
    }

    /// `Pass rate +0.050 (95% CI …; 12 pass→fail, 2 fail→pass) on 200 shared examples by exact McNemar: `.
    func estimateText(alpha: Double) -> String {
        guard let mean, let low, let high else { return "" }
        let what = method == .mcnemarExact ? "Pass rate" : "Mean score"
        var detail = "\(String(format: "%g", (1 - alpha) * 100))% CI \(Self.format(low)) to \(Self.format(high))"
        if let discordant { detail += "; \(discordant.passToFail) pass→fail, \(discordant.failToPass) fail→pass" }
        return "\(what) \(Self.format(mean)) (\(detail)) on \(shared) shared examples by \(method): "
    }

    static func format(_ value: Double) -> String { String(format: "%+.3f", value) }

    static func format(p value: Double) -> String { String(format: "%.3g", value) }
}
