/// What one run recorded for one example in one cell: a continuous score, a pass/fail flag, or both.
///
/// A missing value means the example was not scored (the scorer failed or did not run); it is never
/// stood in for by a number.
public struct GateOutcome: Hashable, Sendable {
    /// The continuous score, usually in 0...1; nil when unscored.
    public var score: Double?
    /// Whether the example passed; nil when there is no pass/fail judgement.
    public var passed: Bool?

    /// Creates an outcome.
    public init(score: Double? = nil, passed: Bool? = nil) {
        self.score = score
        self.passed = passed
    }

    /// The outcome as a pass/fail flag: `passed` when present, else a score of exactly 0 or 1.
    package var binary: Bool? {
        if let passed { return passed }
        if score == 1 { return true }
        if score == 0 { return false }
        return nil
    }
}
