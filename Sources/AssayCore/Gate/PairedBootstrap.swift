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
/// its width and resolves p-values down to 1/2001 ≈ 0.0005; 200 examples × 2,000 resamples take well
/// under a millisecond in a release build. Results depend only on the data and the seed (`SplitMix64`).
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
        var extreme = 0, below = 0, above = 0
        let threshold = abs(mean) * (1 - 1e-12)
        let slack = abs(mean) * 1e-12
        for index in means.indices {
            let deviation = (means[index] - mean) * expansion
            if abs(deviation) >= threshold { extreme += 1 }
            // Under H₀ the centred resamples stand for the difference's null distribution: a drop is
            // as extreme as observed when a centred resample is at or below the observed mean.
            if deviation <= mean + slack { below += 1 }
            if deviation >= mean - slack { above += 1 }
            means[index] = mean + deviation
        }
        let tail = (1 - confidence) / 2
        var estimate = BootstrapEstimate(
            mean: mean,
            low: Self.quantile(&means, tail),
            high: Self.quantile(&means, 1 - tail),
            pValue: Double(extreme + 1) / Double(resamples + 1),
            resamples: resamples
        )
        estimate.pDrop = mean < 0 ? Double(below + 1) / Double(resamples + 1) : 1
        estimate.pGain = mean > 0 ? Double(above + 1) / Double(resamples + 1) : 1
        return estimate
    }

    /// B means of n differences drawn with replacement.
    ///
    /// Each 64-bit draw of `SplitMix64` yields two 32-bit halves, each turned into an index below n by
    /// Lemire's multiply-and-reject method (exactly uniform); two running sums halve the chain of
    /// dependent additions. About 1.5 ns per resampled example in a release build; the arithmetic is
    /// written out in the loop so that debug builds (the tests) stay fast too.
    func resampledMeans(_ differences: [Double], seed: UInt64) -> [Double] {
        precondition(differences.count < 1 << 32, "the bootstrap takes fewer than 2³² differences")
        var rng = SplitMix64(seed: seed)
        let n = differences.count
        let bound = UInt64(n)
        let low: UInt64 = 0xFFFF_FFFF
        var means = [Double](repeating: 0, count: resamples)
        differences.withUnsafeBufferPointer { values in
            for resample in 0..<resamples {
                var even = 0.0
                var odd = 0.0
                for _ in 0..<n / 2 {
                    let bits = rng.next()
                    var first = (bits & low) &* bound
                    var second = (bits >> 32) &* bound
                    if first & low < bound { first = Self.unbiased(first, below: bound, &rng) }
                    if second & low < bound { second = Self.unbiased(second, below: bound, &rng) }
                    even += values[Int(truncatingIfNeeded: first >> 32)]
                    odd += values[Int(truncatingIfNeeded: second >> 32)]
                }
                if n % 2 == 1 {
                    var last = (rng.next() & low) &* bound
                    if last & low < bound { last = Self.unbiased(last, below: bound, &rng) }
                    even += values[Int(truncatingIfNeeded: last >> 32)]
                }
                means[resample] = (even + odd) / Double(n)
            }
        }
        return means
    }

    /// Lemire's rejection step (2019, *Fast random integer generation in an interval*): `product` is
    /// 32 random bits times `bound`, its high word the index; when its low word falls below 2³² mod bound
    /// the index would be biased, so fresh bits are drawn. Called only when the low word is below `bound`.
    static func unbiased(_ product: UInt64, below bound: UInt64, _ rng: inout SplitMix64) -> UInt64 {
        let threshold = (1 << 32) % bound
        var product = product
        while product & 0xFFFF_FFFF < threshold {
            product = (rng.next() & 0xFFFF_FFFF) &* bound
        }
        return product
    }

    /// The p-quantile of values, interpolating linearly between order statistics; reorders `values`.
    static func quantile(_ values: inout [Double], _ p: Double) -> Double {
        let position = p * Double(values.count - 1)
        let below = Int(position.rounded(.down))
        let lower = select(&values, below)
        guard below + 1 < values.count else { return lower }
        let upper = values[(below + 1)...].min()!
        return lower + (position - Double(below)) * (upper - lower)
    }

    /// Moves the k-th smallest value to index k, smaller ones before it and larger ones after
    /// (quickselect with a median-of-three pivot), and returns it.
    static func select(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0
        var high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            let pivot = Swift.max(Swift.min(values[low], values[middle]), Swift.min(Swift.max(values[low], values[middle]), values[high]))
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }
}
