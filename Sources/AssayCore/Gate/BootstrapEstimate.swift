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
