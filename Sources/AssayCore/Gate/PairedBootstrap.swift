/// A paired bootstrap on the mean of per-example differences (candidate − baseline).
///
/// Each resample draws n differences with replacement and takes their mean. The same resamples give:
/// - the confidence interval: the percentile interval of the resampled means, with their spread around
///   the observed mean widened by √(n/(n−1)), the "expanded percentile" correction (Hesterberg 2015,
///   *What teachers should know about the bootstrap*) that undoes the plug-in variance's shrinkage, so
///   small samples are not over-confident;
/// - the p-value for H0: mean = 0, from the bootstrap of the centred differences (the resampled means
///   minus the observed mean, which is the null distribution shifted to 0), two-sided:
///   `(1 + #{|centred·√(n/(n−1))| ≥ |observed|}) / (B + 1)`.
///
/// The default of 2,000 resamples keeps the Monte-Carlo error of a 95% interval's ends below a tenth of
/// its width and resolves p-values down to 1/2001 ≈ 0.0005; 200 examples × 2,000 resamples take about
/// a millisecond in a release build. Results depend only on the data and the seed (`SplitMix64`).
public struct PairedBootstrap: Sendable {
    /// The default number of resamples, 2,000.
    public static let defaultResamples = 2000

    /// The number of resamples, B.
    public var resamples: Int

    /// Creates a bootstrap with B resamples (at least 1).
    public init(resamples: Int = PairedBootstrap.defaultResamples) {
        precondition(resamples >= 1, "the bootstrap needs at least one resample")
        self.resamples = resamples
    }

    /// Estimates the mean difference with a confidence interval and a p-value.
    ///
    /// - Parameters:
    ///   - differences: The paired differences, candidate − baseline; at least one.
    ///   - confidence: The interval's level, e.g. 0.95.
    ///   - seed: The seed of the resampling.
    /// - Returns: The estimate; with a single difference, the interval is that value and the p-value is 1.
    public func estimate(_ differences: [Double], confidence: Double = 0.95, seed: UInt64) -> BootstrapEstimate {
        precondition(!differences.isEmpty, "the bootstrap needs at least one difference")
        precondition(confidence > 0 && confidence < 1, "the confidence level must lie between 0 and 1")
        let n = differences.count
        let mean = differences.reduce(0, +) / Double(n)
        guard n > 1 else { return BootstrapEstimate(mean: mean, low: mean, high: mean, pValue: 1, resamples: 0) }
        let expansion = (Double(n) / Double(n - 1)).squareRoot()
        var means = resampledMeans(differences, seed: seed)
        var extreme = 0
        let threshold = abs(mean) * (1 - 1e-12)
        for index in means.indices {
            let deviation = (means[index] - mean) * expansion
            if abs(deviation) >= threshold { extreme += 1 }
            means[index] = mean + deviation
        }
        means.sort()
        let tail = (1 - confidence) / 2
        return BootstrapEstimate(
            mean: mean,
            low: Self.quantile(means, tail),
            high: Self.quantile(means, 1 - tail),
            pValue: Double(extreme + 1) / Double(resamples + 1),
            resamples: resamples
        )
    }

    /// B means of n differences drawn with replacement.
    func resampledMeans(_ differences: [Double], seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        let n = differences.count
        let count = UInt64(n)
        return differences.withUnsafeBufferPointer { values in
            (0..<resamples).map { _ in
                var sum = 0.0
                for _ in 0..<n {
                    // The high word of a 64×64-bit product is uniform on 0..<n up to a bias of n / 2⁶⁴.
                    sum += values[Int(truncatingIfNeeded: rng.next().multipliedFullWidth(by: count).high)]
                }
                return sum / Double(n)
            }
        }
    }

    /// The p-quantile of sorted values, interpolating linearly between order statistics.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + fraction * (sorted[above] - sorted[below])
    }
}
