/// How many paired examples a test needs to detect a given effect.
package enum GatePower {
    /// The normal-approximation sample size of a two-sided paired test:
    /// `n = ⌈((z₁₋α/₂ + z_power) · σ_d / δ)²⌉`.
    ///
    /// The same formula serves pass/fail data, where the differences are −1, 0 or +1 and
    /// σ_d² = (b + c)/n − ((c − b)/n)², the usual large-sample McNemar power approximation.
    /// - Parameters:
    ///   - spread: σ_d, the standard deviation of the paired differences.
    ///   - effect: δ > 0, the smallest difference worth detecting.
    ///   - alpha: The two-sided significance level.
    ///   - power: The chance of detecting a true difference of δ, e.g. 0.8.
    /// - Returns: The number of shared examples needed, at least 1.
    package static func examplesNeeded(spread: Double, effect: Double, alpha: Double, power: Double = 0.8) -> Int {
        precondition(effect > 0 && alpha > 0 && alpha < 1 && power > 0 && power < 1, "invalid power calculation")
        let z = GateNormal.quantile(1 - alpha / 2) + GateNormal.quantile(power)
        let n = (z * spread / effect) * (z * spread / effect)
        return max(1, Int(min(n, 1e12).rounded(.up)))
    }

    /// The examples a one-sided test at level `alpha` needs: `n = ⌈((z₁₋α + z_power) · σ_d / δ)²⌉`.
    package static func examplesNeededOneSided(spread: Double, effect: Double, alpha: Double, power: Double = 0.8) -> Int {
        examplesNeeded(spread: spread, effect: effect, alpha: 2 * alpha, power: power)
    }

    /// The smallest drop a one-sided test at level `alpha` detects with the given power on `n` paired
    /// examples: `δ = (z₁₋α + z_power) · σ_d / √n`.
    package static func detectableDrop(spread: Double, examples n: Int, alpha: Double, power: Double = 0.8) -> Double? {
        guard n > 0, alpha > 0, alpha < 1 else { return nil }
        let z = GateNormal.quantile(1 - alpha) + GateNormal.quantile(power)
        return z * spread / Double(n).squareRoot()
    }
}
