/// `tool_calls`: the observed tool calls against the expected list; the value is the F1 over calls.
struct ToolCallsRule: ScoringRule {
    static let parameters: Set<String> = ["ordered", "arguments"]
    /// Comparisons beyond this many call pairs are not attempted.
    static let maxPairs = 4_000_000
    let ordered: Bool
    let arguments: ToolCallMatch.Arguments

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        ordered = try p.bool("ordered", default: false)
        arguments = try p.choice("arguments", default: .exact)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let expected = try ToolCallExpectation.list(try input.requireExpected())
        let observed = try input.observedToolCalls()
        guard observed.count.multipliedReportingOverflow(by: expected.count).partialValue <= Self.maxPairs else {
            throw .scorerFailed("\(observed.count) observed and \(expected.count) expected calls are too many to compare")
        }
        let m = ToolCallMatch(observed: observed, expected: expected, ordered: ordered, arguments: arguments)
        let missing = Self.unmatchedNames(expected, observed)
        var explanation = "\(m.matched) of \(m.expected) expected calls matched among \(m.observed) observed"
        if !missing.isEmpty, missing.count < expected.count || observed.isEmpty { explanation += "; not matched: \(Quote.list(missing))" }
        return Evaluation(value: m.f1, explanation: explanation, metrics: [
            ScoreMetric("precision", m.precision), ScoreMetric("recall", m.recall), ScoreMetric("f1", m.f1),
            ScoreMetric("matched", Double(m.matched)), ScoreMetric("observed", Double(m.observed)), ScoreMetric("expected", Double(m.expected)),
        ])
    }

    /// Expected names with more expected calls than observed ones of that name.
    static func unmatchedNames(_ expected: [ToolCallExpectation], _ observed: [ToolCallExpectation]) -> [String] {
        var counts: [String: Int] = [:]
        for o in observed { counts[o.name, default: 0] += 1 }
        var out: [String] = []
        for e in expected {
            if counts[e.name, default: 0] > 0 { counts[e.name]! -= 1 } else { out.append(e.name) }
        }
        return out
    }
}

/// `trajectory`: the sequence of steps against the expected one; the value is 1 minus the edit
/// distance over the longer sequence. Steps are the tool calls (`steps: tools`, as `tool_calls` reads
/// them) or the names of the selected spans in start order (`steps: spans`).
struct TrajectoryRule: ScoringRule {
    enum Steps: String, Sendable, CaseIterable { case tools, spans }
    static let parameters: Set<String> = ["steps"]
    static let maxSteps = 10_000
    let steps: Steps

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        steps = try p.choice("steps", default: .tools)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let expected = try ToolCallExpectation.list(try input.requireExpected()).map(\.name)
        let observed: [String]
        switch steps {
        case .tools: observed = try input.observedToolCalls().map(\.name)
        case .spans:
            if let o = input.observed { observed = try ToolCallExpectation.list(o).map(\.name) } else {
                if input.spans.isEmpty { throw .noSpanMatched }
                observed = input.spans.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }.map(\.span.name)
            }
        }
        guard observed.count <= Self.maxSteps, expected.count <= Self.maxSteps else {
            throw .scorerFailed("more than \(Self.maxSteps) steps")
        }
        let longest = max(observed.count, expected.count)
        let d = EditDistance.distance(observed, expected) ?? longest
        let value = longest == 0 ? 1 : 1 - Double(d) / Double(longest)
        let explanation = d == 0 ? "the \(observed.count) steps are as expected"
            : "\(d) edits between \(observed.count) observed and \(expected.count) expected steps; observed \(Quote.list(observed))"
        return Evaluation(value: value, explanation: explanation, metrics: [ScoreMetric("edit_distance", Double(d))])
    }
}

/// `retrieval`: the ids of the documents retrieved in the selected spans (in start order, then rank)
/// against the expected ids (a list of strings or numbers). The value is the `metric` at `k`; all four
/// metrics are recorded.
struct RetrievalRule: ScoringRule {
    enum Metric: String, Sendable, CaseIterable { case recall, precision, mrr, ndcg }
    static let parameters: Set<String> = ["metric", "k"]
    let metric: Metric
    let k: Int

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        metric = try p.choice("metric", default: .recall)
        k = try p.integer("k", minimum: 1) ?? 10
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        guard let expected = try input.requireExpected().elements else { throw .invalidExpected("expected a list of document ids") }
        guard !expected.isEmpty else { throw .invalidExpected("the list of relevant document ids is empty") }
        let retrieved: [String]
        if let o = input.observed {
            guard let list = o.elements else { throw .scorerFailed("the observed value is not a list of document ids") }
            retrieved = list.map(\.text)
        } else {
            if input.spans.isEmpty { throw .noSpanMatched }
            let spans = input.spans.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
            let documents = spans.flatMap { SpanContent(span: $0.span).documents }
            guard !documents.isEmpty || spans.contains(where: { $0.summary.operation == .retrieval }) else {
                throw .notObserved("any retrieved documents")
            }
            retrieved = documents.compactMap(\.id)
        }
        let m = RetrievalMetrics(retrieved: retrieved, relevant: expected.map(\.text))
        let values: [Metric: Double] = [.recall: m.recall(at: k), .precision: m.precision(at: k), .mrr: m.reciprocalRank(at: k), .ndcg: m.ndcg(at: k)]
        return Evaluation(value: values[metric]!, explanation: "\(m.hits(at: k)) of \(m.relevant.count) relevant documents in the top \(k) of \(m.retrieved.count) retrieved",
                          metrics: Metric.allCases.map { ScoreMetric("\($0.rawValue)@\(k)", values[$0]!) })
    }
}
