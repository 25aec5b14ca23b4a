/// The gate's finding for one cell: the estimate, the test, the p-values and the verdict with its reason.
public struct GateDecision: Hashable, Sendable {
    /// The cell.
    public var cell: GateCell
    /// The test that decided.
    public var method: GateMethod
    /// The verdict.
    public var verdict: GateVerdict
    /// The number of examples both runs scored.
    public var shared: Int
    /// The examples present in either run that could not be paired.
    public var dropped: Int
    /// The mean difference, candidate − baseline (for pass/fail, the change in pass rate); nil with no
    /// shared examples.
    public var meanDifference: Double?
    /// The lower end of the (1 − alpha) confidence interval of the difference.
    public var low: Double?
    /// The upper end of the (1 − alpha) confidence interval of the difference.
    public var high: Double?
    /// The raw two-sided p-value; nil when the cell was not tested (fewer than the minimum examples).
    public var pValue: Double?
    /// The Holm-adjusted p-value across the tested cells; nil when not tested.
    public var adjustedPValue: Double?
    /// The discordant pairs, for pass/fail cells.
    public var discordant: McNemarCounts?
    /// The shared examples needed to detect the minimum effect with the configured power.
    public var examplesNeeded: Int
    /// One sentence explaining the verdict.
    public var explanation: String
    /// Whether the cell is in the gated family (its tier and component are gated); others are reported
    /// for comparison and never fail the gate.
    public var gated = true
    /// The smallest drop the shared examples would detect with the configured power (one-sided, at
    /// the family's Bonferroni level); nil with no shared example.
    public var detectableDrop: Double?

    /// Creates a decision.
    public init(
        cell: GateCell, method: GateMethod, verdict: GateVerdict, shared: Int, dropped: Int, meanDifference: Double?,
        low: Double?, high: Double?, pValue: Double?, adjustedPValue: Double?, discordant: McNemarCounts?,
        examplesNeeded: Int, explanation: String
    ) {
        self.cell = cell
        self.method = method
        self.verdict = verdict
        self.shared = shared
        self.dropped = dropped
        self.meanDifference = meanDifference
        self.low = low
        self.high = high
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.discordant = discordant
        self.examplesNeeded = examplesNeeded
        self.explanation = explanation
    }
}
