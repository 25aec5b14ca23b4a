/// Holm's step-down correction for a family of tests (Holm 1979): it keeps the chance of any false
/// alarm across the family at or below alpha, and is uniformly more powerful than Bonferroni.
package enum HolmCorrection {
    /// Holm-adjusted p-values, in the order of `pValues`.
    ///
    /// With the p-values sorted ascending as p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of p₍ᵢ₎ is
    /// `max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎)`: monotone in the raw p-values and capped at 1.
    /// A test is rejected at level alpha when its adjusted p-value is below alpha.
    package static func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
