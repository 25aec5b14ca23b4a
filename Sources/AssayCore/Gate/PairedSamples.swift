/// The examples of one cell that both runs scored, paired by example id, with the values the test uses.
///
/// Which data decides: when any score shared by both runs lies strictly between 0 and 1 (or outside
/// 0...1), the cell is continuous and the scores are compared with a paired bootstrap. Otherwise the cell
/// is pass/fail: each example's `passed` flag (or, without one, its 0 or 1 score) is compared with the
/// exact McNemar test. A score of 0/1 only is a pass/fail judgement in disguise, and McNemar is exact for it.
/// Non-finite scores count as unscored.
public struct PairedSamples: Hashable, Sendable {
    /// The test these samples call for.
    public var method: GateMethod
    /// The shared example ids, sorted; empty for samples built from bare values.
    public var exampleIDs: [String]
    /// The baseline's values, aligned with `candidate` (scores, or 1 for pass and 0 for fail).
    public var baseline: [Double]
    /// The candidate's values, aligned with `baseline`.
    public var candidate: [Double]
    /// Examples present in either run that could not be paired: missing from one run or unscored in one.
    public var dropped: Int

    /// Pairs the outcomes of one cell by example id.
    public init(baseline: [String: GateOutcome], candidate: [String: GateOutcome]) {
        let all = Set(baseline.keys).union(candidate.keys)
        let scored = all.filter { id in
            baseline[id]?.score.map(\.isFinite) == true && candidate[id]?.score.map(\.isFinite) == true
        }.sorted()
        let continuous = scored.contains { id in
            let pair = [baseline[id]!.score!, candidate[id]!.score!]
            return pair.contains { $0 != 0 && $0 != 1 }
        }
        if continuous {
            self.init(
                method: .pairedBootstrap, exampleIDs: scored,
                baseline: scored.map { baseline[$0]!.score! }, candidate: scored.map { candidate[$0]!.score! },
                dropped: all.count - scored.count
            )
            return
        }
        let judged = all.filter { baseline[$0]?.binary != nil && candidate[$0]?.binary != nil }.sorted()
        self.init(
            method: .mcnemarExact, exampleIDs: judged,
            baseline: judged.map { baseline[$0]!.binary! ? 1 : 0 }, candidate: judged.map { candidate[$0]!.binary! ? 1 : 0 },
            dropped: all.count - judged.count
        )
    }

    /// Creates samples from aligned values, as simulations do; pass/fail values are 1 and 0.
    public init(method: GateMethod, exampleIDs: [String] = [], baseline: [Double], candidate: [Double], dropped: Int = 0) {
        precondition(baseline.count == candidate.count, "paired samples need as many baseline as candidate values")
        self.method = method
        self.exampleIDs = exampleIDs
        self.baseline = baseline
        self.candidate = candidate
        self.dropped = dropped
    }

    /// The number of shared examples.
    public var count: Int { baseline.count }

    /// The paired differences, candidate − baseline (for pass/fail: −1, 0 or +1).
    public var differences: [Double] { zip(candidate, baseline).map { $0 - $1 } }

    /// The discordant pairs of pass/fail samples.
    public var discordant: McNemarCounts {
        var counts = McNemarCounts(passToFail: 0, failToPass: 0)
        for (before, after) in zip(baseline, candidate) where before != after {
            if before > after { counts.passToFail += 1 } else { counts.failToPass += 1 }
        }
        return counts
    }
}
