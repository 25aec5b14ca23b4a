import Foundation

extension GateCellAnalysis {
    /// The verdict and its sentence, given the Holm-adjusted p-value (nil when the cell was not tested),
    /// by the rules documented on `GateVerdict`.
    func decision(adjustedPValue: Double?, adjustedGain: Double?, gated: Bool, configuration: GateConfiguration) -> GateDecision {
        let verdict: GateVerdict
        var reason: String
        let delta = configuration.minEffect
        let slack = 1e-12
        if let adjusted = adjustedPValue, let mean {
            let significant = adjusted < configuration.alpha
            let gain = (adjustedGain ?? 1) < configuration.alpha
            let test = "Holm-adjusted one-sided p = \(Self.format(p: adjusted))"
            if significant && mean <= -delta + slack {
                verdict = .regressed
                reason = "\(test) < \(Self.format(p: configuration.alpha)) and the drop is at least the minimum effect \(Self.format(p: delta))"
            } else if gain && mean >= delta - slack {
                verdict = .improved
                reason = "Holm-adjusted p of a gain = \(Self.format(p: adjustedGain!)) < \(Self.format(p: configuration.alpha)) and the gain is at least the minimum effect \(Self.format(p: delta))"
            } else if significant || gain {
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
                if let detectableDrop { reason += "; they would catch a drop of \(Self.points(detectableDrop)) or more" }
            }
        } else {
            verdict = .inconclusive(needed: needed)
            reason = shared == 0
                ? "no example was scored in both runs (\(needed) needed)"
                : "\(shared) shared examples are fewer than the minimum \(configuration.minimumExamples) (\(needed) needed)"
        }
        if !gated { reason += " (not gated: reported for comparison)" }
        var decision = GateDecision(
            cell: cell, method: method, verdict: verdict, shared: shared, dropped: dropped, meanDifference: mean,
            low: low, high: high, pValue: pDrop, adjustedPValue: adjustedPValue, discordant: discordant,
            examplesNeeded: needed, explanation: "\(estimateText(alpha: configuration.alpha))\(reason)."
        )
        decision.gated = gated
        decision.detectableDrop = shared > 0 ? detectableDrop : nil
        return decision
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

    /// `25 points` for 0.25 on a 0–1 scale.
    static func points(_ value: Double) -> String { "\(Int((value * 100).rounded(.up))) points" }

    static func format(p value: Double) -> String { String(format: "%.3g", value) }
}
