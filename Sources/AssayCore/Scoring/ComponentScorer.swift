/// A component of an agent scored on its own: a selector that finds its spans in a trace, weighted
/// scorers, and a pass threshold. What a scorer file declares (docs/scorers.md).
public struct ComponentScorer: Sendable {
    /// One scorer and its weight in the component's score.
    public struct Weighted: Sendable {
        /// The scorer.
        public var scorer: any Scorer
        /// Its weight (> 0).
        public var weight: Double
        /// Creates a weighted scorer.
        public init(_ scorer: any Scorer, weight: Double = 1) { self.scorer = scorer; self.weight = weight }
    }

    /// The component's name, e.g. `triage`.
    public var name: String
    /// The selector of its spans.
    public var selector: SpanSelector
    /// The scorers.
    public var scorers: [Weighted]
    /// The weighted score a component needs to pass; nil: every scored scorer must pass.
    public var threshold: Double?

    /// Creates a component.
    public init(name: String, selector: SpanSelector, scorers: [Weighted], threshold: Double? = nil) {
        self.name = name
        self.selector = selector
        self.scorers = scorers
        self.threshold = threshold
    }

    /// Scores one trace: selects the spans, runs every scorer (concurrently), and combines them.
    ///
    /// - Parameters:
    ///   - trace: the trace.
    ///   - expected: the example's expected value for this component, if any.
    ///   - costUSD: the trace's cost, when known.
    package func score(_ trace: StoredTrace, expected: JSONValue?, observed: JSONValue? = nil, costUSD: Double? = nil) async -> ComponentResult {
        let spans = selector.select(in: trace)
        let input = ScorerInput(spans: spans, trace: trace, observed: observed, expected: expected, costUSD: costUSD)
        let scores = await withTaskGroup(of: (Int, Score).self) { group in
            for (i, w) in scorers.enumerated() { group.addTask { (i, await w.scorer.score(input)) } }
            var out: [(Int, Score)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }.map { score in
            // With nothing selected, the first cause is the selection, not a missing expected value.
            guard spans.isEmpty, observed == nil, case .unscored(.missingExpected) = score.outcome else { return score }
            var s = score
            s.outcome = .unscored(.noSpanMatched)
            s.explanation = UnscoredReason.noSpanMatched.description
            return s
        }
        return ComponentResult(component: name, spanIDs: spans.map(\.span.spanID), scores: scores,
                               weights: scorers.map(\.weight), threshold: threshold)
    }
}

extension ComponentScorer {
    /// The result when the component cannot be judged at all: every scorer unscored for `reason`.
    package func unscored(_ reason: UnscoredReason) -> ComponentResult {
        let scores = scorers.map { w in
            Score(scorer: w.scorer.name, kind: w.scorer.kind, parameters: w.scorer.parametersJSON, threshold: w.scorer.threshold,
                  outcome: .unscored(reason), explanation: reason.description)
        }
        return ComponentResult(component: name, spanIDs: [], scores: scores, weights: scorers.map(\.weight), threshold: threshold)
    }
}

/// A component's scores on one trace and their combination.
public struct ComponentResult: Sendable, Hashable {
    /// The component.
    public var component: String
    /// The spans the selector chose.
    public var spanIDs: [SpanID]
    /// Every scorer's score, in declaration order.
    public var scores: [Score]
    /// The scorers' weights, in the same order.
    public var weights: [Double]
    /// The component's pass threshold; nil: every scored scorer must pass.
    public var threshold: Double?

    /// Creates a result.
    public init(component: String, spanIDs: [SpanID], scores: [Score], weights: [Double], threshold: Double?) {
        self.component = component
        self.spanIDs = spanIDs
        self.scores = scores
        self.weights = weights
        self.threshold = threshold
    }

    /// The weighted mean of the scored values; nil when nothing was scored.
    public var value: Double? {
        var sum = 0.0, total = 0.0
        for (s, w) in zip(scores, weights) {
            if let v = s.value { sum += v * w; total += w }
        }
        return total > 0 ? sum / total : nil
    }

    /// Pass or fail; nil when nothing was scored.
    public var passed: Bool? {
        guard let value else { return nil }
        if let threshold { return value >= threshold }
        return scores.allSatisfy { $0.passed ?? true }
    }

    /// Why nothing was scored, from the first unscored score.
    public var unscoredReason: UnscoredReason? {
        guard value == nil else { return nil }
        for s in scores { if case .unscored(let reason) = s.outcome { return reason } }
        return .noSpanMatched
    }
}
