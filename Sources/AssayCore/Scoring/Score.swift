/// The result of one scorer on one example: a value and a verdict, or an explicit "unscored" with its
/// reason, together with the scorer's name, kind, parameters and threshold so that it can be reproduced.
public struct Score: Sendable, Hashable {
    /// The scorer's name (the kind for built-in scorers unless the configuration named it).
    public var scorer: String
    /// The scorer's kind, e.g. `exact_match`, `tool_calls`.
    public var kind: ScorerKind
    /// The scorer's parameters as canonical JSON (keys sorted, compact), `{}` when it has none.
    public var parameters: String
    /// The threshold the value was compared with.
    public var threshold: Double
    /// The value and verdict, or why there is none.
    public var outcome: ScoreOutcome
    /// A short sentence saying why; quotes from the trace are trimmed to about 80 characters.
    public var explanation: String
    /// Named numbers behind the value, in a stable order (e.g. `precision`, `recall`, `f1`).
    public var metrics: [ScoreMetric]
    /// Further facts as text (e.g. `expected_label`, `observed_label` for the confusion matrix).
    public var metadata: [String: String]

    /// Creates a score.
    public init(scorer: String, kind: ScorerKind, parameters: String = "{}", threshold: Double, outcome: ScoreOutcome,
                explanation: String, metrics: [ScoreMetric] = [], metadata: [String: String] = [:]) {
        self.scorer = scorer
        self.kind = kind
        self.parameters = parameters
        self.threshold = threshold
        self.outcome = outcome
        self.explanation = explanation
        self.metrics = metrics
        self.metadata = metadata
    }

    /// The value, when scored.
    public var value: Double? {
        if case .scored(let value, _) = outcome { return value }
        return nil
    }

    /// Whether it passed; nil when unscored.
    public var passed: Bool? {
        if case .scored(_, let passed) = outcome { return passed }
        return nil
    }

    /// The named number `name`, when present.
    public func metric(_ name: String) -> Double? { metrics.first(where: { $0.name == name })?.value }
}

/// A score's value and verdict, or the reason it could not be computed (never NaN).
public enum ScoreOutcome: Sendable, Hashable {
    /// A value, normally between 0 and 1, and whether it reached the threshold.
    case scored(value: Double, passed: Bool)
    /// No value could be computed.
    case unscored(UnscoredReason)
}

/// Why a scorer produced no value. It is an `Error` so that scorers can throw it internally; the
/// `Scorer` contract still never throws, it returns `.unscored(reason)`.
public enum UnscoredReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The example has no expected value and the scorer needs one.
    case missingExpected
    /// No span was selected for the component and no observed value was given.
    case noSpanMatched
    /// The agent sent no spans at all: the cell's trace holds only the runner's root span, so no
    /// component can be judged (the agent does not export to `ASSAY_TRACE_FILE` or ignores `TRACEPARENT`).
    case noAgentSpans
    /// The spans were there but did not record what the scorer reads (output text, token counts, cost...).
    case notObserved(String)
    /// The expected value is not of the shape the scorer needs.
    case invalidExpected(String)
    /// The scorer itself failed (a judge or command failed, an input too large to score).
    case scorerFailed(String)

    /// A stable snake_case code for reports and run logs.
    public var code: String {
        switch self {
        case .missingExpected: "missing_expected"
        case .noSpanMatched: "no_span_matched"
        case .noAgentSpans: "no_agent_spans"
        case .notObserved: "not_observed"
        case .invalidExpected: "invalid_expected"
        case .scorerFailed: "scorer_failed"
        }
    }

    /// A sentence for people.
    public var description: String {
        switch self {
        case .missingExpected: "no expected value: a component's comes from its example's components.NAME.expected (production traces have none)"
        case .noSpanMatched: "no span matched the component's selector"
        case .noAgentSpans: "no spans arrived from the agent (export them to ASSAY_TRACE_FILE and propagate TRACEPARENT)"
        case .notObserved(let what): "the spans did not record \(what)"
        case .invalidExpected(let why): "the expected value is invalid: \(why)"
        case .scorerFailed(let why): "the scorer failed: \(why)"
        }
    }
}

/// A named number behind a score, e.g. `recall` 0.5 or `max_input_tokens` 12000.
public struct ScoreMetric: Sendable, Hashable {
    /// The name, snake_case.
    public var name: String
    /// The number.
    public var value: Double

    /// Creates a metric.
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}
