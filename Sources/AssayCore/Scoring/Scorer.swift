/// Scores one example: from the component's selected spans, the trace, the observed and expected
/// values, to a `Score`.
///
/// Scorers are async so that command scorers and LLM judges fit the same contract, and never throw: a
/// score that cannot be computed is `.unscored` with its reason. The name, kind, parameters and
/// threshold are recorded in every score so that a run can be rescored.
///
/// ```swift
/// let scorer = try BuiltinScorers.make(kind: "token_f1", parameters: .null, threshold: 0.6)
/// let score = await scorer.score(ScorerInput(spans: selected, trace: trace, expected: .string("Paris")))
/// ```
public protocol Scorer: Sendable {
    /// The name recorded with every score.
    var name: String { get }
    /// The kind, e.g. `exact_match`; defaults to the kind named by the name.
    var kind: ScorerKind { get }
    /// The parameters as canonical JSON (keys sorted, compact).
    var parametersJSON: String { get }
    /// The value a score must reach to pass, 0 to 1.
    var threshold: Double { get }
    /// Scores one example; never throws, failures are `.unscored`.
    func score(_ input: ScorerInput) async -> Score
}

extension Scorer {
    /// The kind is the name unless the scorer says otherwise.
    public var kind: ScorerKind { ScorerKind(name) }
}

/// What a scorer sees of one example.
public struct ScorerInput: Sendable {
    /// The spans selected for the component, in start order; may be empty.
    public var spans: [StoredSpan]
    /// The whole trace, when known.
    public var trace: StoredTrace?
    /// The component's observed output; when nil, scorers derive it from the spans (the output text of
    /// the last selected span that has one).
    package var observed: JSONValue?
    /// The example's expected value; nil when the example has none.
    package var expected: JSONValue?
    /// The run's cost in US dollars, when known (for `cost_budget`).
    public var costUSD: Double?

    /// Creates an input.
    package init(spans: [StoredSpan] = [], trace: StoredTrace? = nil, observed: JSONValue? = nil,
                 expected: JSONValue? = nil, costUSD: Double? = nil) {
        self.spans = spans
        self.trace = trace
        self.observed = observed
        self.expected = expected
        self.costUSD = costUSD
    }

    /// The spans a trace-level scorer looks at: the trace's spans (the selection when no trace is
    /// given) for `.trace`, the selection for `.spans`.
    func spans(in scope: SpanScope) -> [StoredSpan] {
        switch scope {
        case .trace: trace?.spans ?? spans
        case .spans: spans
        }
    }

    /// The observed output as text: `observed` (strings as they are, other JSON as compact text), else
    /// the output text of the last selected span that has one.
    func observedText() throws(UnscoredReason) -> String {
        if let observed { return observed.text }
        if spans.isEmpty { throw .noSpanMatched }
        for stored in spans.reversed() {
            if let text = SpanContent(span: stored.span).outputText { return text }
        }
        throw .notObserved("an output text")
    }

    /// The observed output as JSON: `observed` (a string holding JSON is parsed), else the last output
    /// text parsed; nil when the text is not JSON.
    func observedJSON() throws(UnscoredReason) -> JSONValue? {
        if let observed, observed.string == nil { return observed }
        return JSONText.parse(try observedText())
    }

    /// The expected value; throws `.missingExpected` when the example has none.
    func requireExpected() throws(UnscoredReason) -> JSONValue {
        guard let expected else { throw .missingExpected }
        return expected
    }
}

/// Which spans a trace-level scorer (budgets, errors, context growth) looks at.
enum SpanScope: String, Sendable, CaseIterable {
    /// The whole trace.
    case trace
    /// The component's selected spans.
    case spans
}
