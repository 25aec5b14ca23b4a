/// A paired bootstrap's estimate of a mean difference: the point estimate, a confidence interval and a
/// two-sided p-value for "no difference".
public struct BootstrapEstimate: Hashable, Sendable {
    /// The observed mean difference, candidate − baseline.
    public var mean: Double
    /// The lower end of the confidence interval.
    public var low: Double
    /// The upper end of the confidence interval.
    public var high: Double
    /// The two-sided p-value for H0: mean difference = 0; never below 1 / (resamples + 1).
    public var pValue: Double
    /// The one-sided p-value of a drop (H₀: mean difference ≥ 0): the share of centred resamples at or
    /// below the observed mean; 1 without resamples.
    public var pDrop: Double = 1
    /// The one-sided p-value of a gain (H₀: mean difference ≤ 0).
    public var pGain: Double = 1
    /// The number of bootstrap resamples drawn.
    public var resamples: Int

    /// Creates an estimate.
    public init(mean: Double, low: Double, high: Double, pValue: Double, resamples: Int) {
        self.mean = mean
        self.low = low
        self.high = high
        self.pValue = pValue
        self.resamples = resamples
    }
}
